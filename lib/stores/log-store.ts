/**
 * The live tail of one log stream (`logs:<project>:<stream>`): a fixed-capacity ring of lines
 * plus a filtered index, in a zustand vanilla store created per hook instance (never at
 * module level; DESIGN.md layer 6).
 *
 * Why it is shaped like this (issue "Live dashboards": 100,000 lines without jank):
 * - The ring is mutated in place and the store state only carries counters and a `version`
 *   that bumps on every change, so an append costs O(lines appended) and never copies the
 *   100k array; readers go through `getLine` / `getFilteredLine`.
 * - A line's identity is (envelope seq, index in `lines`). Live envelopes newer than
 *   `lastSeq` take the fast path (push); anything older (HTTP backfill, a resume overlap) is
 *   merged in seq order, skipping envelopes already held, which is O(held) but rare.
 * - The filtered index holds absolute positions of matching lines. It is rebuilt in one pass
 *   when the filter changes, extended as lines arrive and trimmed from the front as the ring
 *   evicts, so filtering never rescans 100k lines per event.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Envelope } from '@/lib/shared/envelope';
import type { ErrorBody } from '@/lib/shared/errors';
import { LOG_LEVELS } from '@/lib/shared/events';

export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogLineRecord {
  /** Seq of the envelope the line came in. */
  readonly seq: number;
  /** Index of the line within that envelope's `lines`. */
  readonly index: number;
  readonly ts: string;
  /** As published, ANSI escapes included (the view renders their colours). */
  readonly text: string;
  readonly level: LogLevel | null;
  /** `text` without ANSI escapes: what is filtered, copied and downloaded. */
  readonly plain: string;
  /** `plain` lower-cased once, for the case-insensitive text filter. */
  readonly search: string;
}

export interface LogFilter {
  /** Case-insensitive substring of the line (ANSI escapes ignored); '' = any. */
  text: string;
  /** Levels shown. Lines published without a level count as `info`. */
  levels: readonly LogLevel[];
}

export const ALL_LEVELS_FILTER: LogFilter = { text: '', levels: LOG_LEVELS };

export const DEFAULT_LOG_CAPACITY = 100_000;

export interface LogStoreOptions {
  /** Most lines held; older ones are evicted (and counted in `dropped`). */
  capacity?: number;
  /** Initial filter (a view re-creating its store for another stream keeps its filter). */
  filter?: LogFilter;
}

export interface LogStoreState {
  readonly capacity: number;
  /** Lines held (at most `capacity`). */
  count: number;
  /** Lines evicted from the ring since the last clear. */
  dropped: number;
  /** Lines accepted since the last clear (held + evicted); a paused view shows how many are new. */
  received: number;
  /** Highest envelope seq applied; 0 before any. */
  lastSeq: number;
  /** Bumps on every change: the render signal. */
  version: number;
  /**
   * Bumps whenever filtered indexes are renumbered (filter change, merge of older lines,
   * clear), so a view knows `filteredTrimmed` is not comparable across it.
   */
  epoch: number;
  filter: LogFilter;
  /** Lines that pass the filter. */
  filteredCount: number;
  /**
   * Filtered lines evicted from the front since `epoch` began. A paused view scrolls up by
   * the difference so the lines under the reader's eyes stay put.
   */
  filteredTrimmed: number;
  /** True until the first subscribe reply and its backfill are in. */
  loading: boolean;
  error: ErrorBody | null;

  /** Held line `i`, 0 = oldest. */
  getLine(i: number): LogLineRecord | undefined;
  /** Filtered line `i`, 0 = oldest match. */
  getFilteredLine(i: number): LogLineRecord | undefined;
  /** Every line that passes the filter, oldest first (copy, download). */
  filteredLines(): LogLineRecord[];
  /** Live envelopes (usually newer than `lastSeq`; older ones are merged, duplicates skipped). */
  append(envelopes: readonly Envelope[]): void;
  /** Older history (HTTP backfill, a reset's history): merged in seq order, duplicates skipped. */
  backfill(envelopes: readonly Envelope[]): void;
  setFilter(filter: LogFilter): void;
  setLoading(loading: boolean): void;
  setError(error: ErrorBody | null): void;
  /** Forget every line (the filter stays); `lastSeq` is kept so old lines are not re-added. */
  clear(): void;
}

export type LogStore = StoreApi<LogStoreState>;

const ESC = '\u001b';
/** CSI (colours, cursor), OSC (titles, links) and two-byte escapes; built from a string because a literal control character in a regex literal is easy to break. */
const ANSI_PATTERN = new RegExp(
  `${ESC}\\[[0-?]*[ -/]*[@-~]|${ESC}\\][^\\u0007${ESC}]*(?:\\u0007|${ESC}\\\\)|${ESC}[@-Z\\\\-_]`,
  'g',
);

/** `text` without ANSI escape sequences. */
export function stripAnsi(text: string): string {
  return text.includes(ESC) ? text.replace(ANSI_PATTERN, '') : text;
}

const LEVEL_BIT: Record<LogLevel, number> = { debug: 1, info: 2, warn: 4, error: 8 };
const ALL_LEVELS_MASK = 15;

function levelMask(levels: readonly LogLevel[]): number {
  let mask = 0;
  for (const level of levels) mask |= LEVEL_BIT[level] ?? 0;
  return mask;
}

function isLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(LEVEL_BIT, value);
}

/** The lines of a `logs:stream` envelope, or null for any other event. The server validated the payload; these checks only keep a malformed one from breaking the view. */
function linesOf(envelope: Envelope): LogLineRecord[] | null {
  if (envelope.type !== 'logs:stream') return null;
  const raw = envelope.payload.lines;
  if (!Array.isArray(raw)) return null;
  const out: LogLineRecord[] = [];
  for (let index = 0; index < raw.length; index++) {
    const line: unknown = raw[index];
    if (typeof line !== 'object' || line === null) continue;
    const { ts, text, level } = line as Record<string, unknown>;
    if (typeof text !== 'string') continue;
    const plain = stripAnsi(text);
    out.push({
      seq: envelope.seq,
      index,
      ts: typeof ts === 'string' ? ts : envelope.ts,
      text,
      level: isLevel(level) ? level : null,
      plain,
      search: plain.toLowerCase(),
    });
  }
  return out;
}

const compareLines = (a: LogLineRecord, b: LogLineRecord): number => a.seq - b.seq || a.index - b.index;

function sameFilter(a: LogFilter, b: LogFilter): boolean {
  return a.text === b.text && levelMask(a.levels) === levelMask(b.levels);
}

export function createLogStore(options: LogStoreOptions = {}): LogStore {
  const capacity = Math.max(1, Math.floor(options.capacity ?? DEFAULT_LOG_CAPACITY));

  // ---- ring ---------------------------------------------------------------------------------
  // Invariant: while not full, head === 0 and ring.length === size (it grows by push); once
  // full, ring.length === capacity and head is the oldest slot.
  let ring: LogLineRecord[] = [];
  let head = 0;
  let size = 0;
  /** Absolute position of the oldest held line; positions only mean something within an epoch. */
  let firstPos = 0;

  // ---- filter -------------------------------------------------------------------------------
  let filter: LogFilter = ALL_LEVELS_FILTER;
  let mask = ALL_LEVELS_MASK;
  let needle = '';
  /** No filter: filtered index i is held line i, and no position array is kept. */
  let identity = true;
  const applyFilter = (next: LogFilter): void => {
    filter = { text: next.text, levels: [...next.levels] };
    mask = levelMask(filter.levels);
    needle = filter.text.toLowerCase();
    identity = mask === ALL_LEVELS_MASK && needle === '';
  };
  if (options.filter !== undefined) applyFilter(options.filter);
  /** Positions of matching lines from `fstart` on (a moving front instead of shift()). */
  let fpos: number[] = [];
  let fstart = 0;
  let trimmed = 0;

  // ---- counters -----------------------------------------------------------------------------
  let dropped = 0;
  let received = 0;
  let lastSeq = 0;
  /** Envelopes at or below this seq were cleared by the user and are never merged back. */
  let floorSeq = 0;
  let version = 0;
  let epoch = 0;

  const slotOf = (i: number): number => {
    const slot = head + i;
    return slot >= capacity ? slot - capacity : slot;
  };
  const lineAt = (i: number): LogLineRecord | undefined => (i >= 0 && i < size ? ring[slotOf(i)] : undefined);

  function matches(line: LogLineRecord): boolean {
    const bit = line.level === null ? LEVEL_BIT.info : LEVEL_BIT[line.level];
    return (mask & bit) !== 0 && (needle === '' || line.search.includes(needle));
  }

  function push(line: LogLineRecord): void {
    if (size < capacity) {
      ring.push(line);
      size++;
    } else {
      ring[head] = line;
      head = head + 1 === capacity ? 0 : head + 1;
      firstPos++;
      dropped++;
      if (identity) trimmed++;
    }
    received++;
    if (!identity && matches(line)) fpos.push(firstPos + size - 1);
  }

  /** Drops filtered positions the ring no longer holds; compacts the array now and then. */
  function trimFiltered(): void {
    if (identity) return;
    while (fstart < fpos.length && (fpos[fstart] ?? Infinity) < firstPos) {
      fstart++;
      trimmed++;
    }
    if (fstart > 4096 && fstart * 2 > fpos.length) {
      fpos = fpos.slice(fstart);
      fstart = 0;
    }
  }

  function rebuildFiltered(): void {
    epoch++;
    trimmed = 0;
    fpos = [];
    fstart = 0;
    if (identity) return;
    for (let i = 0; i < size; i++) {
      const line = ring[slotOf(i)];
      if (line !== undefined && matches(line)) fpos.push(firstPos + i);
    }
  }

  /** Index of the first held line with seq >= `seq` (binary search; the ring is in seq order). */
  function lowerBound(seq: number): number {
    let lo = 0;
    let hi = size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((lineAt(mid)?.seq ?? Infinity) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  const holds = (seq: number): boolean => lineAt(lowerBound(seq))?.seq === seq;

  /** Merges envelopes older than (or interleaved with) what we hold. O(held + incoming). */
  function merge(envelopes: readonly Envelope[]): boolean {
    const oldest = lineAt(0)?.seq;
    const incoming: LogLineRecord[] = [];
    const seen = new Set<number>();
    for (const envelope of envelopes) {
      if (seen.has(envelope.seq)) continue;
      seen.add(envelope.seq);
      if (envelope.seq <= floorSeq) continue;
      // After evictions, anything older than the oldest held line would be evicted again at once.
      if (dropped > 0 && oldest !== undefined && envelope.seq < oldest) continue;
      if (holds(envelope.seq)) continue;
      const lines = linesOf(envelope);
      if (lines !== null) for (const line of lines) incoming.push(line);
    }
    if (incoming.length === 0) return false;
    incoming.sort(compareLines);

    const merged: LogLineRecord[] = new Array<LogLineRecord>(size + incoming.length);
    let a = 0;
    let b = 0;
    let k = 0;
    while (a < size || b < incoming.length) {
      const held = lineAt(a);
      const fresh = incoming[b];
      if (fresh === undefined || (held !== undefined && compareLines(held, fresh) <= 0)) {
        merged[k++] = held as LogLineRecord;
        a++;
      } else {
        merged[k++] = fresh;
        b++;
      }
    }
    received += incoming.length;
    const excess = merged.length - capacity;
    ring = excess > 0 ? merged.slice(excess) : merged;
    if (excess > 0) dropped += excess;
    head = 0;
    size = ring.length;
    firstPos = 0;
    rebuildFiltered();
    return true;
  }

  /** Fast path for envelopes newer than everything held, merge for the rest. */
  function ingest(envelopes: readonly Envelope[]): boolean {
    let sorted = true;
    for (let i = 1; i < envelopes.length; i++) {
      if ((envelopes[i]?.seq ?? 0) <= (envelopes[i - 1]?.seq ?? 0)) {
        sorted = false;
        break;
      }
    }
    const ordered = sorted ? envelopes : [...envelopes].sort((x, y) => x.seq - y.seq);
    const late: Envelope[] = [];
    let changed = false;
    for (const envelope of ordered) {
      if (envelope.seq <= lastSeq) {
        late.push(envelope);
        continue;
      }
      lastSeq = envelope.seq;
      const lines = linesOf(envelope);
      if (lines === null || lines.length === 0) continue;
      for (const line of lines) push(line);
      changed = true;
    }
    if (changed) trimFiltered();
    if (late.length > 0 && merge(late)) changed = true;
    return changed;
  }

  const filteredCount = (): number => (identity ? size : fpos.length - fstart);

  return createStore<LogStoreState>()((set, get) => {
    const counters = () => ({
      count: size,
      dropped,
      received,
      lastSeq,
      version: ++version,
      epoch,
      filter,
      filteredCount: filteredCount(),
      filteredTrimmed: trimmed,
    });

    return {
      capacity,
      count: 0,
      dropped: 0,
      received: 0,
      lastSeq: 0,
      version: 0,
      epoch: 0,
      filter,
      filteredCount: 0,
      filteredTrimmed: 0,
      loading: true,
      error: null,

      getLine: lineAt,

      getFilteredLine(i) {
        if (identity) return lineAt(i);
        const pos = fpos[fstart + i];
        return pos === undefined || i < 0 ? undefined : lineAt(pos - firstPos);
      },

      filteredLines() {
        const out: LogLineRecord[] = [];
        const n = filteredCount();
        const { getFilteredLine } = get();
        for (let i = 0; i < n; i++) {
          const line = getFilteredLine(i);
          if (line !== undefined) out.push(line);
        }
        return out;
      },

      append(envelopes) {
        if (envelopes.length > 0 && ingest(envelopes)) set(counters());
        else if (envelopes.length > 0) set({ lastSeq });
      },

      backfill(envelopes) {
        if (envelopes.length > 0 && ingest(envelopes)) set(counters());
      },

      setFilter(next) {
        if (sameFilter(next, filter)) return;
        applyFilter(next);
        rebuildFiltered();
        set(counters());
      },

      setLoading(loading) {
        if (get().loading !== loading) set({ loading });
      },

      setError(error) {
        set({ error, loading: false });
      },

      clear() {
        ring = [];
        head = 0;
        size = 0;
        firstPos = 0;
        dropped = 0;
        received = 0;
        floorSeq = lastSeq;
        rebuildFiltered();
        set(counters());
      },
    };
  });
}
