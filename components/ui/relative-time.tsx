'use client';

import { useEffect, useState } from 'react';

const UNITS: Array<[number, Intl.RelativeTimeFormatUnit]> = [
  [60, 'second'],
  [60, 'minute'],
  [24, 'hour'],
  [7, 'day'],
  [4.35, 'week'],
  [12, 'month'],
  [Number.POSITIVE_INFINITY, 'year'],
];

const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' });

/** "12s", "4m", "3h", "2d": for dense lists where "12 sec. ago" would wrap. */
export function compactRelative(ts: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(ts)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

export function relative(ts: string, now: number): string {
  let value = (Date.parse(ts) - now) / 1000;
  if (Math.abs(value) < 5) return 'just now';
  for (const [size, unit] of UNITS) {
    if (Math.abs(value) < size) return format.format(Math.round(value), unit);
    value /= size;
  }
  return ts;
}

/** "12 s ago", refreshed every few seconds; the exact time is in the title and <time>. */
export function RelativeTime({ ts, compact = false }: { ts: string; compact?: boolean }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, 5000);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, []);
  return (
    <time dateTime={ts} title={new Date(ts).toLocaleString()} suppressHydrationWarning>
      {now === null
        ? new Date(ts).toLocaleTimeString()
        : compact
          ? compactRelative(ts, now)
          : relative(ts, now)}
    </time>
  );
}
