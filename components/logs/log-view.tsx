'use client';

/**
 * Live tail of one log stream: a virtualised list (only the rows on screen are in the DOM, so
 * 100,000 lines scroll like 100) with follow/pause, level and text filters, ANSI colours,
 * copy and download.
 *
 * Follow and the reading position are left to the virtualiser (`anchorTo: 'end'`): while
 * following it scrolls to each append, and while paused it keeps the row under the reader
 * in place even as the ring evicts lines above it. Row keys are the line identity
 * (seq, index), which is what lets it tell an append-with-trim from a reorder.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useId, useRef, useState, type UIEvent } from 'react';
import { useLogStream, type UseLogStreamOptions } from '@/hooks/use-log-stream';
import { LOG_LEVELS } from '@/lib/shared/events';
import { logsRoom } from '@/lib/shared/rooms';
import type { LogLevel, LogLineRecord } from '@/lib/stores/log-store';
import { EmptyState, curlExample } from '@/components/ui/empty-state';
import { copyText, downloadText, formatLogLines, logFileName } from './log-export';
import { LEVEL_BADGE, LOG_ROW_HEIGHT, LogRow } from './log-row';

export interface LogViewProps extends UseLogStreamOptions {
  project: string;
  stream: string;
}

const number = new Intl.NumberFormat('en-US');
/** How close to the bottom (px) still counts as "at the bottom" for resuming follow. */
const BOTTOM_SLACK = LOG_ROW_HEIGHT;

/** A numeric key per line: seq and index (< 1,000 lines per event) in one safe integer. */
const lineKey = (line: LogLineRecord): number => line.seq * 1000 + line.index;

const LEVEL_LABEL: Record<LogLevel, string> = { debug: 'Debug', info: 'Info', warn: 'Warn', error: 'Error' };

export function LogView({ project, stream, capacity, backfillLines }: LogViewProps) {
  const log = useLogStream(project, stream, { capacity, backfillLines });
  const { follow, setFollow, filter, setFilter, getFilteredLine } = log;
  const scrollRef = useRef<HTMLDivElement>(null);
  const lastScrollTop = useRef(0);
  const [notice, setNotice] = useState<string | null>(null);
  const ids = useId();

  const getItemKey = useCallback(
    (i: number) => {
      const line = getFilteredLine(i);
      return line === undefined ? -1 - i : lineKey(line);
    },
    [getFilteredLine],
  );

  // The app does not use the React Compiler; the virtualiser re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: log.filteredCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LOG_ROW_HEIGHT,
    getItemKey,
    overscan: 10,
    anchorTo: 'end',
    followOnAppend: follow,
    scrollEndThreshold: BOTTOM_SLACK,
  });

  // Turning follow on (the button, the first lines, a filter change or merged backfill while
  // following) jumps to the newest line; appends after that are followed by the virtualiser.
  const hasLines = log.filteredCount > 0;
  useEffect(() => {
    if (follow && hasLines) virtualizer.scrollToEnd();
  }, [follow, virtualizer, hasLines, log.epoch]);

  // A user scrolling up pauses; scrolling back down to the bottom resumes (like `less +F`).
  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    const el = event.currentTarget;
    const top = el.scrollTop;
    const previous = lastScrollTop.current;
    lastScrollTop.current = top;
    const atBottom = el.scrollHeight - top - el.clientHeight <= BOTTOM_SLACK;
    if (follow && !atBottom && top < previous) setFollow(false);
    else if (!follow && atBottom && top > previous) setFollow(true);
  };

  const filtering = filter.text !== '' || filter.levels.length < LOG_LEVELS.length;
  const toggleLevel = (level: LogLevel, on: boolean) =>
    setFilter({
      text: filter.text,
      levels: LOG_LEVELS.filter((l) => (l === level ? on : filter.levels.includes(l))),
    });

  const flash = (message: string) => {
    setNotice(message);
    setTimeout(() => setNotice((current) => (current === message ? null : current)), 4000);
  };
  const copy = async () => {
    const lines = log.filteredLines();
    try {
      await copyText(formatLogLines(lines));
      flash(`Copied ${number.format(lines.length)} lines`);
    } catch {
      flash('Copy failed: the browser did not allow clipboard access');
    }
  };
  const download = () => {
    const lines = log.filteredLines();
    downloadText(logFileName(project, stream), formatLogLines(lines));
    flash(`Downloaded ${number.format(lines.length)} lines`);
  };

  const items = virtualizer.getVirtualItems();
  const room = logsRoom(project, stream);

  return (
    <section
      aria-labelledby={`${ids}-title`}
      className="flex min-w-0 flex-col gap-2"
      data-testid="log-view"
      data-room={room}
    >
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
        <h2 id={`${ids}-title`} className="font-mono text-sm font-semibold">
          {stream}
        </h2>

        <button
          type="button"
          aria-pressed={follow}
          onClick={() => setFollow(!follow)}
          className={`inline-flex items-center gap-1.5 rounded-md border px-2.5 py-1 text-xs font-medium ${
            follow
              ? 'border-emerald-600 bg-emerald-600 text-white dark:border-emerald-500 dark:bg-emerald-600'
              : 'border-zinc-300 bg-white text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800'
          }`}
          data-testid="log-follow"
        >
          <span
            aria-hidden
            className={`inline-block h-2 w-2 rounded-full ${follow ? 'animate-pulse bg-white' : 'bg-zinc-400'}`}
          />
          Follow
        </button>
        <span className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="log-follow-state">
          {follow
            ? 'Following'
            : `Paused${log.newWhilePaused > 0 ? ` · ${number.format(log.newWhilePaused)} new` : ''}`}
        </span>

        <fieldset className="flex items-center gap-2">
          <legend className="sr-only">Levels shown</legend>
          {LOG_LEVELS.map((level) => (
            <label key={level} className="inline-flex cursor-pointer items-center gap-1 text-xs">
              <input
                type="checkbox"
                checked={filter.levels.includes(level)}
                onChange={(event) => toggleLevel(level, event.target.checked)}
                className="h-3.5 w-3.5 accent-indigo-600"
              />
              <span className={`rounded px-1 font-semibold uppercase ${LEVEL_BADGE[level]}`}>
                {LEVEL_LABEL[level]}
              </span>
            </label>
          ))}
        </fieldset>

        <label className="flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400">
          Filter
          <input
            type="search"
            value={filter.text}
            onChange={(event) => setFilter({ text: event.target.value, levels: filter.levels })}
            placeholder="text in line"
            spellCheck={false}
            className="w-48 rounded-md border border-zinc-300 bg-white px-2 py-1 font-mono text-xs text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
            data-testid="log-filter"
          />
        </label>

        <span
          className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400"
          data-testid="log-count"
          data-count={log.filteredCount}
          data-total={log.count}
          data-dropped={log.dropped}
        >
          {filtering
            ? `${number.format(log.filteredCount)} of ${number.format(log.count)} lines`
            : `${number.format(log.count)} lines`}
          {log.dropped > 0 && ` · ${number.format(log.dropped)} older dropped`}
        </span>

        <div className="ml-auto flex items-center gap-2">
          <span role="status" className="text-xs text-zinc-500 dark:text-zinc-400">
            {notice}
          </span>
          <button
            type="button"
            onClick={() => void copy()}
            disabled={log.filteredCount === 0}
            className="rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium text-zinc-700 hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800"
          >
            Copy
          </button>
          <button
            type="button"
            onClick={download}
            disabled={log.filteredCount === 0}
            className="rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium text-zinc-700 hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800"
          >
            Download
          </button>
          <button
            type="button"
            onClick={log.clear}
            disabled={log.count === 0}
            className="rounded-md border border-zinc-300 bg-white px-2.5 py-1 text-xs font-medium text-zinc-700 hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800"
          >
            Clear
          </button>
        </div>
      </div>

      {log.error && (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
        >
          {log.error.code}: {log.error.message}
        </p>
      )}

      <div
        ref={scrollRef}
        role="log"
        aria-live="off"
        aria-label={`Log lines of ${stream}`}
        tabIndex={0}
        onScroll={onScroll}
        className="relative h-[60vh] min-h-64 overflow-auto rounded-lg border border-zinc-200 bg-white font-mono text-xs leading-5 text-zinc-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-200"
        data-testid="log-scroll"
      >
        {log.filteredCount === 0 ? (
          <div className="p-4 font-sans">
            {log.count > 0 ? (
              <p className="text-sm text-zinc-500">No lines match the filter.</p>
            ) : log.loading && !log.error ? (
              <p className="text-sm text-zinc-500">Loading recent lines…</p>
            ) : (
              <EmptyState
                title="No log lines yet"
                example={curlExample(room, 'logs:stream', {
                  stream,
                  lines: [{ ts: '2026-01-01T12:00:00Z', text: 'hello from curl', level: 'info' }],
                })}
              >
                Lines published to <code className="font-mono">{room}</code> appear here as they arrive, for
                example:
              </EmptyState>
            )}
          </div>
        ) : (
          <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const line = getFilteredLine(item.index);
              return line === undefined ? null : <LogRow key={lineKey(line)} line={line} top={item.start} />;
            })}
          </div>
        )}
      </div>
    </section>
  );
}
