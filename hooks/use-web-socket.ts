'use client';

import { useCallback, useSyncExternalStore } from 'react';
import type { ConnectionState } from '@/lib/client';
import type { PublishRequest } from '@/lib/shared/socket-events';
import { useRealtimeClient } from '@/components/providers/realtime-provider';

/** The tab's connection: status for indicators, plus subscribe/publish for callers. */
export function useWebSocket() {
  const client = useRealtimeClient();
  const state: ConnectionState = useSyncExternalStore(
    client.subscribeState,
    client.getState,
    client.getState,
  );
  const publish = useCallback((request: PublishRequest) => client.publish(request), [client]);
  return {
    status: state.status,
    connected: state.status === 'connected',
    reconnecting: state.status === 'reconnecting',
    nextRetryAt: state.nextRetryAt,
    latencyMs: state.latencyMs,
    ready: state.ready,
    lastError: state.lastError,
    subscribe: client.subscribe,
    publish,
  };
}
