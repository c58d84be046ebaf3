'use client';

/**
 * The live tail of one log stream: subscribes to `logs:<project>:<stream>`, shows recent
 * history at once (HTTP backfill, since log rooms have no snapshot) and keeps a bounded ring
 * with a filtered index (lib/stores/log-store.ts).
 *
 * Renders are coalesced to one per animation frame: at 20k lines/s the store changes far
 * more often than a screen can show, and the ring is mutated in place, so React only needs
 * the latest counters once a frame.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { z } from 'zod';
import { useRealtimeClient } from '@/components/providers/realtime-provider';
import type { HistoryResponse } from '@/lib/shared/api-types';
import { envelopeSchema, type Envelope } from '@/lib/shared/envelope';
import { ERROR_CODES, OpsroomError, type ErrorBody, type ErrorCode } from '@/lib/shared/errors';
import { logsRoom } from '@/lib/shared/rooms';
import {
  ALL_LEVELS_FILTER,
  DEFAULT_LOG_CAPACITY,
  createLogStore,
  type LogFilter,
  type LogLineRecord,
  type LogStore,
} from '@/lib/stores/log-store';

export interface UseLogStreamOptions {
  /** Lines kept; older ones are evicted. Default 100,000. */
  capacity?: number;
  /** Recent lines to load over HTTP when the subscription starts (or resets); 0 = none. Default 20,000. */
  backfillLines?: number;
}

export interface LogStream {
  room: string;
  /** Lines held / lines passing the filter / lines evicted from the ring. */
  count: number;
  filteredCount: number;
  dropped: number;
  /** Held line `i` (0 = oldest) and filtered line `i`; read them during render. */
  getLine: (i: number) => LogLineRecord | undefined;
  getFilteredLine: (i: number) => LogLineRecord | undefined;
  /** All filtered lines, oldest first (copy, download). */
  filteredLines: () => LogLineRecord[];
  filter: LogFilter;
  setFilter: (filter: LogFilter) => void;
  /** Follow the tail (auto-scroll) or hold still; `newWhilePaused` counts lines since the pause. */
  follow: boolean;
  setFollow: (follow: boolean) => void;
  pause: () => void;
  resume: () => void;
  newWhilePaused: number;
  clear: () => void;
  loading: boolean;
  error: ErrorBody | null;
  /** Highest envelope seq applied; 0 before any. */
  lastSeq: number;
  /** Bumps on every change; `epoch` bumps when filtered indexes are renumbered. */
  version: number;
  epoch: number;
  /** Filtered lines evicted from the front in this epoch (a paused view scrolls up by the change). */
  filteredTrimmed: number;
}

/**
 * A whole `opsroom run` of a typical build (issue 6 acceptance: 20,000 lines) shows on page
 * load, not only its last screens. Bounded well below the ring's 100,000 lines so opening a
 * busy stream stays a few hundred KB to a few MB of history.
 */
const DEFAULT_BACKFILL_LINES = 20_000;
/** Events per history request: small enough to stay light when events carry 1,000 lines each. */
const BACKFILL_PAGE_EVENTS = 100;
/** Up to 5,000 events: reaches 20,000 lines even when publishers send a few lines per event. */
const BACKFILL_MAX_PAGES = 50;

export function useLogStream(project: string, stream: string, options: UseLogStreamOptions = {}): LogStream {
  const client = useRealtimeClient();
  const room = logsRoom(project, stream);
  const capacity = options.capacity ?? DEFAULT_LOG_CAPACITY;
  const backfillLines = options.backfillLines ?? DEFAULT_BACKFILL_LINES;
  const key = `${room}\u0000${capacity}`;

  const [filter, setFilterState] = useState<LogFilter>(ALL_LEVELS_FILTER);
  // One store per (room, capacity), created lazily: never at module level, and a new stream
  // gets a fresh store during render instead of being cleared from an effect.
  const [holder, setHolder] = useState(() => ({ key, store: createLogStore({ capacity, filter }) }));
  let store = holder.store;
  if (holder.key !== key) {
    const next = { key, store: createLogStore({ capacity, filter }) };
    setHolder(next);
    store = next.store;
  }

  const subscribe = useCallback((onChange: () => void) => subscribeOncePerFrame(store, onChange), [store]);
  const state = useSyncExternalStore(subscribe, store.getState, store.getState);

  useEffect(() => {
    const controller = new AbortController();
    const unsubscribe = client.subscribe(room, {
      onReset: (_snapshot, seq, history) => {
        const s = store.getState();
        s.backfill(history);
        if (backfillLines <= 0) {
          s.setLoading(false);
          return;
        }
        loadLogTail({
          room,
          seq,
          after: s.lastSeq,
          targetLines: backfillLines,
          signal: controller.signal,
          fetchPage: fetchHistoryPage,
          onPage: (events) => store.getState().backfill(events),
        }).then(
          () => store.getState().setLoading(false),
          (error: unknown) => {
            if (!controller.signal.aborted) store.getState().setError(toErrorBody(error));
          },
        );
      },
      onEvents: (envelopes) => store.getState().append(envelopes),
      onError: (error) => store.getState().setError(error),
    });
    return () => {
      controller.abort();
      unsubscribe();
    };
  }, [client, room, store, backfillLines]);

  const [pausedAt, setPausedAt] = useState<number | null>(null);
  const setFollow = useCallback(
    (on: boolean) => setPausedAt(on ? null : (current) => current ?? store.getState().received),
    [store],
  );
  const pause = useCallback(() => setFollow(false), [setFollow]);
  const resume = useCallback(() => setFollow(true), [setFollow]);
  const setFilter = useCallback(
    (next: LogFilter) => {
      setFilterState(next);
      store.getState().setFilter(next);
    },
    [store],
  );
  const clear = useCallback(() => {
    store.getState().clear();
    setPausedAt((current) => (current === null ? null : 0));
  }, [store]);

  return {
    room,
    count: state.count,
    filteredCount: state.filteredCount,
    dropped: state.dropped,
    getLine: state.getLine,
    getFilteredLine: state.getFilteredLine,
    filteredLines: state.filteredLines,
    filter,
    setFilter,
    follow: pausedAt === null,
    setFollow,
    pause,
    resume,
    newWhilePaused: pausedAt === null ? 0 : Math.max(0, state.received - pausedAt),
    clear,
    loading: state.loading,
    error: state.error,
    lastSeq: state.lastSeq,
    version: state.version,
    epoch: state.epoch,
    filteredTrimmed: state.filteredTrimmed,
  };
}

/** Store subscription for useSyncExternalStore that notifies React at most once per frame. */
function subscribeOncePerFrame(store: LogStore, onChange: () => void): () => void {
  const raf = globalThis.requestAnimationFrame as ((cb: () => void) => number) | undefined;
  if (raf === undefined) return store.subscribe(onChange);
  let frame: number | null = null;
  const unsubscribe = store.subscribe(() => {
    if (frame !== null) return;
    frame = raf(() => {
      frame = null;
      onChange();
    });
  });
  return () => {
    unsubscribe();
    if (frame !== null) cancelAnimationFrame(frame);
  };
}

export interface LoadLogTailOptions {
  room: string;
  /** The room's seq at subscribe time: the tail ends here (later events arrive live). */
  seq: number;
  /** Seq already held (nothing at or below it is fetched again). */
  after: number;
  /** Stop once this many lines are loaded. */
  targetLines: number;
  signal?: AbortSignal;
  pageEvents?: number;
  maxPages?: number;
  fetchPage: (room: string, since: number, limit: number, signal?: AbortSignal) => Promise<HistoryResponse>;
  /** Each page, newest page first; pages are older and older. */
  onPage: (events: Envelope[]) => void;
}

/**
 * Loads the recent tail backwards in pages of events (the history API reads forwards from
 * `since`, and a log event may carry 1 or 1,000 lines), until `targetLines` lines, the held
 * seq, the start of retained history or `maxPages` is reached. Returns the lines loaded.
 */
export async function loadLogTail(options: LoadLogTailOptions): Promise<number> {
  const pageEvents = Math.min(1000, Math.max(1, options.pageEvents ?? BACKFILL_PAGE_EVENTS));
  const maxPages = options.maxPages ?? BACKFILL_MAX_PAGES;
  const floor = Math.max(0, options.after);
  let upper = options.seq;
  let lines = 0;
  for (let page = 0; page < maxPages && upper > floor && lines < options.targetLines; page++) {
    const since = Math.max(floor, upper - pageEvents);
    const reply = await options.fetchPage(options.room, since, upper - since, options.signal);
    if (options.signal?.aborted) break;
    const events = reply.events.filter((event) => event.seq > since && event.seq <= upper);
    if (events.length === 0) break;
    options.onPage(events);
    for (const event of events) {
      const list = event.payload.lines;
      if (Array.isArray(list)) lines += list.length;
    }
    // History was pruned past `since`: nothing older is left to fetch.
    if ((events[0]?.seq ?? 0) > since + 1) break;
    upper = since;
  }
  return lines;
}

const historySchema = z.object({ room: z.string(), seq: z.number(), events: z.array(envelopeSchema) });

/** GET /api/rooms/:room/history with the session cookie (same origin). */
export async function fetchHistoryPage(
  room: string,
  since: number,
  limit: number,
  signal?: AbortSignal,
): Promise<HistoryResponse> {
  const response = await fetch(
    `/api/rooms/${encodeURIComponent(room)}/history?since=${since}&limit=${limit}`,
    { credentials: 'same-origin', headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) },
  );
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const code = (ERROR_CODES as readonly unknown[]).includes(error?.code)
      ? (error?.code as ErrorCode)
      : 'INTERNAL';
    const message =
      typeof error?.message === 'string' ? error.message : `History request failed (${response.status}).`;
    throw new OpsroomError(code, `Recent lines could not be loaded: ${message}`);
  }
  const parsed = historySchema.safeParse(body);
  if (!parsed.success)
    throw new OpsroomError('INTERNAL', 'Recent lines could not be loaded: unexpected reply.');
  return parsed.data;
}

function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof OpsroomError) return error.toBody();
  return { code: 'UNAVAILABLE', message: 'Recent lines could not be loaded (network error).' };
}
