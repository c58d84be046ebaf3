'use client';

import { useEffect, useState } from 'react';
import { useWebSocket } from '@/hooks/use-web-socket';

const LABEL = {
  connecting: 'Connecting',
  connected: 'Live',
  reconnecting: 'Reconnecting',
  offline: 'Offline',
} as const;

const DOT = {
  connecting: 'bg-amber-400',
  connected: 'bg-emerald-500',
  reconnecting: 'bg-amber-500 animate-pulse',
  offline: 'bg-red-500',
} as const;

/** Connection status, retry countdown and latency, announced politely to screen readers. */
export function ConnectionIndicator() {
  const { status, nextRetryAt, latencyMs, lastError } = useWebSocket();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (nextRetryAt === null) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [nextRetryAt]);
  const retryIn = nextRetryAt === null ? null : Math.max(0, Math.ceil((nextRetryAt - now) / 1000));
  return (
    <div
      role="status"
      aria-live="polite"
      data-status={status}
      className="flex items-center gap-2 text-sm"
      data-testid="connection-status"
    >
      <span className={`inline-block h-2.5 w-2.5 rounded-full ${DOT[status]}`} aria-hidden />
      <span className="font-medium">{LABEL[status]}</span>
      {status === 'connected' && latencyMs !== null && (
        <span className="text-zinc-500">{Math.round(latencyMs)} ms</span>
      )}
      {status === 'reconnecting' && retryIn !== null && (
        <span className="text-zinc-500">retry in {retryIn}s</span>
      )}
      {status === 'offline' && lastError && <span className="text-zinc-500">{lastError.message}</span>}
    </div>
  );
}
