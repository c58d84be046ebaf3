'use client';

import { useEffect, useState } from 'react';
import type { WsStats } from '@/lib/shared/api-types';
import { SYSTEM_ROOM } from '@/lib/shared/rooms';
import { appendCapped } from '@/lib/stores/bounded';
import { useRealtimeClient } from '@/components/providers/realtime-provider';

export type SystemStats = WsStats & { rssBytes?: number; uptimeSec?: number };

export interface SystemStatsState {
  latest: SystemStats;
  /** Recent samples for sparklines (oldest first). */
  series: Array<{ t: number; clients: number; eventsPerSec: number }>;
}

const MAX_SAMPLES = 150;

/** Live connection stats from the `system` room (admins), starting from server-rendered stats. */
export function useSystemStats(initial: SystemStats): SystemStatsState {
  const client = useRealtimeClient();
  const [state, setState] = useState<SystemStatsState>(() => ({
    latest: initial,
    series: [{ t: Date.now(), clients: initial.totalClients, eventsPerSec: initial.eventsPerSec }],
  }));
  useEffect(
    () =>
      client.subscribe(SYSTEM_ROOM, {
        onEvents: (events) => {
          const samples = events.filter((e) => e.type === 'system:stats');
          if (samples.length === 0) return;
          setState((prev) => {
            let series = prev.series;
            let latest = prev.latest;
            for (const sample of samples) {
              latest = sample.payload as unknown as SystemStats;
              series = appendCapped(
                series,
                { t: Date.parse(sample.ts), clients: latest.totalClients, eventsPerSec: latest.eventsPerSec },
                MAX_SAMPLES,
              );
            }
            return { latest, series };
          });
        },
      }),
    [client],
  );
  return state;
}
