/** The `system:stats` payload: connection stats plus process figures, bounded in size. */
import type { WsStats } from '@/lib/shared/api-types';

/** Keeps system:stats well under the 64 KiB payload limit when there are thousands of rooms. */
export const MAX_ROOMS_IN_STATS = 500;

export type SystemStatsPayload = WsStats & { rssBytes: number; uptimeSec: number; omittedRooms?: number };

export function systemStatsPayload(stats: WsStats, startedAt: number, now: number): SystemStatsPayload {
  const payload: SystemStatsPayload = {
    ...stats,
    rssBytes: process.memoryUsage.rss(),
    uptimeSec: Math.round((now - startedAt) / 1000),
  };
  const rooms = Object.entries(stats.clientsPerRoom);
  if (rooms.length > MAX_ROOMS_IN_STATS) {
    payload.clientsPerRoom = Object.fromEntries(
      rooms.sort((a, b) => b[1] - a[1]).slice(0, MAX_ROOMS_IN_STATS),
    );
    payload.omittedRooms = rooms.length - MAX_ROOMS_IN_STATS;
  }
  return payload;
}
