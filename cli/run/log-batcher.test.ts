import { describe, expect, it } from 'vitest';
import { LogBatcher, MAX_LINES_PER_EVENT, type BatchLine } from './log-batcher';

const TS = '2026-11-30T10:00:00.000Z';
const line = (n: number, text = `line ${n}`): BatchLine => ({ ts: TS, text, level: 'info' });

/** A batcher on a manual clock: `tick()` fires the pending window timer. */
function manualBatcher(options: { maxLines?: number; maxBytes?: number } = {}) {
  const batches: BatchLine[][] = [];
  let pending: (() => void) | null = null;
  const batcher = new LogBatcher({
    onBatch: (lines) => batches.push(lines),
    windowMs: 100,
    ...options,
    setTimer: (fn) => {
      pending = fn;
      return fn;
    },
    clearTimer: () => {
      pending = null;
    },
  });
  const tick = (): void => {
    const fn = pending;
    pending = null;
    fn?.();
  };
  return { batcher, batches, tick, timerArmed: () => pending !== null };
}

describe('LogBatcher', () => {
  it('holds lines for one window, then sends them together in order', () => {
    const { batcher, batches, tick, timerArmed } = manualBatcher();
    batcher.add(line(1));
    batcher.add(line(2));
    expect(batches).toEqual([]);
    expect(timerArmed()).toBe(true);
    tick();
    expect(batches).toEqual([[line(1), line(2)]]);
    expect(timerArmed()).toBe(false);
    batcher.add(line(3));
    tick();
    expect(batches.map((b) => b.map((l) => l.text))).toEqual([['line 1', 'line 2'], ['line 3']]);
  });

  it('sends at 1,000 lines without waiting for the window', () => {
    const { batcher, batches } = manualBatcher();
    // Short lines without a level (~45 bytes each): the line count, not the bytes, is the limit.
    for (let n = 0; n < 2_500; n++) batcher.add({ ts: TS, text: String(n) });
    expect(batches.map((b) => b.length)).toEqual([MAX_LINES_PER_EVENT, MAX_LINES_PER_EVENT]);
    expect(batcher.pendingLines).toBe(500);
    batcher.flush();
    expect(batches.flat().map((l) => l.text)).toEqual(Array.from({ length: 2_500 }, (_, n) => String(n)));
  });

  it('starts a new batch before one more line would pass the byte budget', () => {
    const { batcher, batches } = manualBatcher({ maxBytes: 1_000 });
    const text = 'z'.repeat(200);
    for (let n = 0; n < 10; n++) batcher.add(line(n, text));
    batcher.flush();
    for (const batch of batches) {
      expect(Buffer.byteLength(JSON.stringify(batch))).toBeLessThanOrEqual(1_000);
    }
    expect(batches.flat()).toHaveLength(10);
    expect(batches.length).toBeGreaterThan(2);
  });

  it('keeps a default batch of long multi-byte lines under the 64 KiB payload limit', () => {
    const { batcher, batches } = manualBatcher();
    const text = '日本語'.repeat(2_730); // 8,190 characters, 24 KB of UTF-8
    for (let n = 0; n < 20; n++) batcher.add(line(n, text));
    batcher.flush();
    for (const batch of batches) {
      const payload = JSON.stringify({ stream: 's'.repeat(64), lines: batch });
      expect(Buffer.byteLength(payload)).toBeLessThan(64 * 1024);
    }
    expect(batches.flat()).toHaveLength(20);
  });

  it('flush() with nothing held sends nothing', () => {
    const { batcher, batches } = manualBatcher();
    batcher.flush();
    expect(batches).toEqual([]);
  });
});
