/**
 * The server's own log as `logs:stream` lines: pino lines are teed into a bounded ring
 * buffer (oldest dropped, counted) and drained in batches of at most 1000 lines, the
 * logs:stream limit. Pushing is cheap and never logs, because it runs inside pino's write
 * path: logging from here would recurse, and lines produced while the reporter publishes
 * are only ever buffered, so the reporter cannot feed itself beyond one bounded flush.
 */
import type { LogLine } from '@/lib/shared/events';

export type LogLevel = NonNullable<LogLine['level']>;

export const PINO_INFO = 30;
export const MAX_LINES_PER_EVENT = 1000;
const MAX_TEXT_CHARS = 4000;
const MAX_VALUE_CHARS = 300;
/** Fields every line carries; repeating them in the text would only add noise. */
const OMITTED_KEYS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'instance', 'v']);

/** pino's numeric levels onto the four log levels of the catalogue. */
export function levelOf(pinoLevel: number): LogLevel {
  if (pinoLevel >= 50) return 'error';
  if (pinoLevel >= 40) return 'warn';
  if (pinoLevel >= 30) return 'info';
  return 'debug';
}

function compact(value: unknown): string {
  if (typeof value === 'string')
    return /^[^\s"=]{1,300}$/.test(value) ? value : JSON.stringify(value).slice(0, MAX_VALUE_CHARS);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (typeof value === 'object') {
    // pino's err serializer: {type, message, stack}; the stack would swamp a log view.
    const { type, message } = value as { type?: unknown; message?: unknown };
    if (typeof message === 'string') {
      return JSON.stringify(typeof type === 'string' ? `${type}: ${message}` : message).slice(
        0,
        MAX_VALUE_CHARS,
      );
    }
    return JSON.stringify(value).slice(0, MAX_VALUE_CHARS);
  }
  return String(value);
}

/** One serialized pino line as a log line: msg plus compact key=value fields. */
export function formatPinoLine(line: string, fallbackTs: string): LogLine {
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not a record');
    record = parsed as Record<string, unknown>;
  } catch {
    return { ts: fallbackTs, text: line.trim().slice(0, MAX_TEXT_CHARS), level: 'info' };
  }
  const parts: string[] = [];
  if (typeof record.msg === 'string' && record.msg !== '') parts.push(record.msg);
  for (const [key, value] of Object.entries(record)) {
    if (OMITTED_KEYS.has(key) || value === undefined) continue;
    parts.push(`${key}=${compact(value)}`);
  }
  const time = record.time;
  let ts = fallbackTs;
  if (typeof time === 'string' && !Number.isNaN(Date.parse(time))) ts = new Date(time).toISOString();
  else if (typeof time === 'number' && Number.isFinite(time)) ts = new Date(time).toISOString();
  return {
    ts,
    text: parts.join(' ').slice(0, MAX_TEXT_CHARS),
    level: levelOf(typeof record.level === 'number' ? record.level : PINO_INFO),
  };
}

/** `{"stream":"server","lines":[]}` plus room for a longer stream name. */
const PAYLOAD_OVERHEAD_BYTES = 100;

function jsonBytes(line: LogLine): number {
  return Buffer.byteLength(JSON.stringify(line)) + 1; // the comma between lines
}

const LEADING_LEVEL = /^\{"level":(\d+)/;

function pinoLevelOfLine(line: string): number {
  // pino writes level first; only odd lines (custom formatters) need a full parse.
  const match = LEADING_LEVEL.exec(line);
  if (match?.[1] !== undefined) return Number(match[1]);
  try {
    const level = (JSON.parse(line) as { level?: unknown }).level;
    return typeof level === 'number' ? level : PINO_INFO;
  } catch {
    return PINO_INFO;
  }
}

export interface LogTeeOptions {
  /** Raw lines held at most; beyond it the oldest are dropped (default 5000). */
  capacity?: number;
  /** Lines per drained batch, at most 1000 (the logs:stream limit). */
  maxLines?: number;
  /** pino level below which lines are ignored (default 30, info). */
  minLevel?: number;
  now: () => number;
}

export type LogTee = ReturnType<typeof createLogTee>;

export function createLogTee({
  capacity = 5000,
  maxLines = MAX_LINES_PER_EVENT,
  minLevel = PINO_INFO,
  now,
}: LogTeeOptions) {
  const limit = Math.min(Math.max(maxLines, 1), MAX_LINES_PER_EVENT);
  // Ring buffer: pushing and dropping are O(1) however busy the logger is.
  const ring = new Array<{ line: string; at: number } | undefined>(Math.max(capacity, 1));
  let head = 0;
  let size = 0;
  let droppedPending = 0;
  let droppedTotal = 0;

  return {
    /** The pino tap. Never throws, never logs. */
    push(line: string): void {
      if (pinoLevelOfLine(line) < minLevel) return;
      if (size === ring.length) {
        head = (head + 1) % ring.length;
        size -= 1;
        droppedPending += 1;
        droppedTotal += 1;
      }
      ring[(head + size) % ring.length] = { line, at: now() };
      size += 1;
    },

    /**
     * Up to maxLines formatted lines, oldest first, whose JSON fits in maxBytes (the event
     * payload limit; at least one line is always taken), or null when there is nothing to send.
     * A drop since the last drain is reported as a leading warn line within the limits.
     */
    drain(maxBytes = Number.POSITIVE_INFINITY): LogLine[] | null {
      if (size === 0 && droppedPending === 0) return null;
      const lines: LogLine[] = [];
      let bytes = PAYLOAD_OVERHEAD_BYTES;
      if (droppedPending > 0) {
        const notice: LogLine = {
          ts: new Date(now()).toISOString(),
          text: `self-report: ${droppedPending} log lines dropped (log buffer full)`,
          level: 'warn',
        };
        lines.push(notice);
        bytes += jsonBytes(notice);
        droppedPending = 0;
      }
      while (size > 0 && lines.length < limit) {
        const entry = ring[head];
        if (entry === undefined) break;
        const formatted = formatPinoLine(entry.line, new Date(entry.at).toISOString());
        const cost = jsonBytes(formatted);
        // Left in the ring for the next drain; a lone oversized line is cut to fit instead.
        if (bytes + cost > maxBytes && lines.length > 0) break;
        if (bytes + cost > maxBytes) {
          formatted.text = formatted.text.slice(0, Math.max(0, Math.floor((maxBytes - bytes - 80) / 4)));
        }
        ring[head] = undefined;
        head = (head + 1) % ring.length;
        size -= 1;
        lines.push(formatted);
        bytes += cost;
      }
      return lines;
    },

    /** Buffered lines not yet drained. */
    size: (): number => size,
    /** Lines dropped since creation because the buffer was full. */
    dropped: (): number => droppedTotal,
  };
}
