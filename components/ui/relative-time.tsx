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
export function RelativeTime({ ts }: { ts: string }) {
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
      {now === null ? new Date(ts).toLocaleTimeString() : relative(ts, now)}
    </time>
  );
}
