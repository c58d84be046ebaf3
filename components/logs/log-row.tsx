'use client';

import { memo } from 'react';
import type { LogLevel, LogLineRecord } from '@/lib/stores/log-store';
import { AnsiText } from './ansi-text';

/** Every row has this height (px): the virtualiser needs no measuring. */
export const LOG_ROW_HEIGHT = 20;

export const LEVEL_BADGE: Record<LogLevel, string> = {
  debug: 'bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
  info: 'bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300',
  warn: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300',
  error: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300',
};

const ROW_TINT: Record<LogLevel, string> = {
  debug: 'text-zinc-500 dark:text-zinc-400',
  info: '',
  warn: 'bg-amber-50/60 dark:bg-amber-950/30',
  error: 'bg-red-50/70 dark:bg-red-950/40',
};

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Local wall-clock time with milliseconds; the full timestamp is in the title and dateTime. */
export function formatLogTime(ts: string): string {
  const date = new Date(ts);
  if (Number.isNaN(date.getTime())) return ts.slice(0, 12);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/**
 * One absolutely positioned row. Memoised on the line record (stable for as long as the line
 * is held) and its offset, so a frame that appends lines re-renders only the rows that moved.
 */
export const LogRow = memo(function LogRow({ line, top }: { line: LogLineRecord; top: number }) {
  return (
    <div
      data-testid="log-line"
      data-seq={line.seq}
      data-index={line.index}
      data-level={line.level ?? undefined}
      className={`absolute top-0 left-0 flex w-max min-w-full items-center gap-3 px-3 whitespace-pre ${
        line.level === null ? '' : ROW_TINT[line.level]
      }`}
      style={{ height: LOG_ROW_HEIGHT, transform: `translateY(${top}px)` }}
    >
      <time
        dateTime={line.ts}
        title={line.ts}
        className="shrink-0 text-zinc-500 tabular-nums dark:text-zinc-400"
      >
        {formatLogTime(line.ts)}
      </time>
      <span
        className={`inline-block w-12 shrink-0 rounded px-1 text-center text-[10px] leading-4 font-semibold uppercase ${
          line.level === null ? '' : LEVEL_BADGE[line.level]
        }`}
      >
        {line.level ?? ''}
      </span>
      <span>
        <AnsiText text={line.text} />
      </span>
    </div>
  );
});
