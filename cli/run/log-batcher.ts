/**
 * Collects a command's output lines into `logs:stream` batches: the first line opens a
 * window of `windowMs`, and the batch goes out when the window closes, when it holds
 * `maxLines` lines (the catalogue's 1,000) or when one more line would pass `maxBytes`
 * (the server refuses payloads over 64 KiB). Lines keep their order; batches never overlap.
 *
 * Why a window instead of one event per line: at thousands of lines per second one event per
 * line would cost one stored row and one socket frame each; 100 ms keeps the tail live to the
 * eye while turning a chatty build into ~10 events per second.
 */
import type { LogLineInput } from '@/lib/sdk/events';
import { utf8Length } from '@/lib/shared/json-safety';

export type BatchLine = LogLineInput & { ts: string };

export interface LogBatcherOptions {
  onBatch: (lines: BatchLine[]) => void;
  windowMs?: number;
  maxLines?: number;
  /** Budget for the JSON of the lines; the payload's `{stream, lines: []}` wrapper comes on top. */
  maxBytes?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export const DEFAULT_WINDOW_MS = 100;
export const MAX_LINES_PER_EVENT = 1_000;
/** 64 KiB payload limit minus room for the wrapper and a 64-character stream name. */
export const MAX_LINE_BYTES_PER_EVENT = 60_000;

export class LogBatcher {
  private lines: BatchLine[] = [];
  private bytes = 0;
  private timer: unknown = null;
  private readonly windowMs: number;
  private readonly maxLines: number;
  private readonly maxBytes: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: LogBatcherOptions) {
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.maxLines = Math.min(options.maxLines ?? MAX_LINES_PER_EVENT, MAX_LINES_PER_EVENT);
    this.maxBytes = options.maxBytes ?? MAX_LINE_BYTES_PER_EVENT;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  }

  /** Lines waiting for their batch. */
  get pendingLines(): number {
    return this.lines.length;
  }

  add(line: BatchLine): void {
    // +1 for the comma between array items.
    const size = utf8Length(JSON.stringify(line)) + 1;
    if (this.lines.length > 0 && this.bytes + size > this.maxBytes) this.flush();
    this.lines.push(line);
    this.bytes += size;
    if (this.lines.length >= this.maxLines || this.bytes >= this.maxBytes) {
      this.flush();
      return;
    }
    if (this.timer === null) {
      this.timer = this.setTimer(() => {
        this.timer = null;
        this.flush();
      }, this.windowMs);
    }
  }

  /** Hands the current batch out now (end of output, or before a status change). */
  flush(): void {
    if (this.timer !== null) {
      this.clearTimer(this.timer);
      this.timer = null;
    }
    if (this.lines.length === 0) return;
    const batch = this.lines;
    this.lines = [];
    this.bytes = 0;
    this.options.onBatch(batch);
  }
}
