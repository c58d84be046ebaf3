import { describe, expect, it } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import { MAX_HELD_BATCHES, createBatcher } from './batcher';
import type { Clock } from './clock';

/** A manual clock: timers fire only when the test advances time. */
function manualClock() {
  let now = 0;
  let timers: Array<{ at: number; callback: () => void; id: number }> = [];
  let nextId = 1;
  const clock: Clock = {
    now: () => now,
    setTimeout: (callback, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, callback, id });
      return id;
    },
    clearTimeout: (handle) => {
      timers = timers.filter((timer) => timer.id !== handle);
    },
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (next === undefined || next.at > until) break;
      timers.shift();
      now = next.at;
      next.callback();
    }
    now = until;
  };
  return { clock, advance, now: () => now };
}

const envelope = (seq: number, room = 'project:a'): Envelope => ({
  id: `e${seq}`,
  room,
  seq,
  type: 'x:y',
  ts: '2026-01-01T00:00:00.000Z',
  source: 'test',
  payload: {},
});

function setup(maxEvents = 10, maxWaitMs = 100, audience?: (room: string) => number) {
  const { clock, advance, now } = manualClock();
  /** One entry per emit: its events in order, flattened. */
  const sent: Array<{ at: number; room: string; seqs: number[] }> = [];
  /** One entry per emit: the size of each array it carried. */
  const arrays: number[][] = [];
  const batcher = createBatcher({
    maxEvents,
    maxWaitMs,
    clock,
    ...(audience === undefined ? {} : { audience }),
    emit: (room, batches) => {
      sent.push({ at: now(), room, seqs: batches.flat().map((e) => e.seq) });
      arrays.push(batches.map((batch) => batch.length));
    },
  });
  return { batcher, advance, sent, arrays };
}

describe('batcher', () => {
  it('sends the first event after idle at once', () => {
    const { batcher, sent } = setup();
    batcher.push(envelope(1));
    expect(sent).toEqual([{ at: 0, room: 'project:a', seqs: [1] }]);
  });

  it('coalesces events within the window and sends them when it ends', () => {
    const { batcher, sent, advance } = setup();
    batcher.push(envelope(1));
    advance(10);
    batcher.push(envelope(2));
    advance(10);
    batcher.push(envelope(3));
    expect(sent).toHaveLength(1);
    advance(80);
    expect(sent[1]).toEqual({ at: 100, room: 'project:a', seqs: [2, 3] });
  });

  it('holds full arrays a quarter window and hands them over together, maxEvents per array', () => {
    const { batcher, sent, arrays, advance } = setup(10, 100);
    for (let seq = 1; seq <= 35; seq++) batcher.push(envelope(seq));
    expect(arrays).toEqual([[1]]);
    advance(24);
    expect(arrays).toEqual([[1]]);
    advance(1);
    expect(arrays).toEqual([[1], [10, 10, 10, 4]]);
    expect(sent.map((s) => s.at)).toEqual([0, 25]);
    expect(sent.flatMap((s) => s.seqs)).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
  });

  it('does not extend a window that ends within a quarter window when an array fills', () => {
    const { batcher, sent, advance } = setup(10, 100);
    batcher.push(envelope(0)); // at 0, window until 100
    advance(10);
    batcher.push(envelope(1)); // busy: held
    advance(80);
    for (let seq = 2; seq <= 10; seq++) batcher.push(envelope(seq)); // full at 90
    advance(10);
    expect(sent.map((s) => [s.at, s.seqs.length])).toEqual([
      [0, 1],
      [100, 10],
    ]);
  });

  it(`sends early once ${MAX_HELD_BATCHES} full arrays are held`, () => {
    const { batcher, arrays, sent } = setup(10, 100);
    batcher.push(envelope(0)); // at once
    for (let seq = 1; seq <= 10 * MAX_HELD_BATCHES; seq++) batcher.push(envelope(seq));
    expect(arrays).toHaveLength(2);
    expect(arrays[1]).toEqual(Array.from({ length: MAX_HELD_BATCHES }, () => 10));
    expect(sent[1]?.at).toBe(0);
  });

  it('holds no event longer than maxWaitMs under a steady stream', () => {
    const { batcher, sent, advance } = setup(1000, 100);
    const pushedAt = new Map<number, number>();
    let t = 0;
    for (let seq = 1; seq <= 200; seq++) {
      batcher.push(envelope(seq));
      pushedAt.set(seq, t);
      advance(7);
      t += 7;
    }
    advance(200);
    for (const batch of sent) {
      for (const seq of batch.seqs) expect(batch.at - (pushedAt.get(seq) ?? 0)).toBeLessThanOrEqual(100);
    }
    expect(sent.flatMap((s) => s.seqs)).toHaveLength(200);
  });

  it('goes idle after a quiet window, so the next event is immediate again', () => {
    const { batcher, sent, advance } = setup();
    batcher.push(envelope(1));
    advance(100); // window ends with nothing queued -> idle
    expect(batcher.activeRooms).toBe(0);
    batcher.push(envelope(2));
    expect(sent.map((s) => s.seqs)).toEqual([[1], [2]]);
  });

  it('does not let a steady trickle drift into holding every event for a window', () => {
    const { batcher, sent, advance } = setup(10, 100);
    batcher.push(envelope(1)); // at 0: at once, window until 100
    advance(45);
    batcher.push(envelope(2)); // at 45: 45 ms after the last event, inside the window: held until 100
    advance(115);
    batcher.push(envelope(3)); // at 160: the last window held one event only, so no new window
    expect(sent).toEqual([
      { at: 0, room: 'project:a', seqs: [1] },
      { at: 100, room: 'project:a', seqs: [2] },
      { at: 160, room: 'project:a', seqs: [3] },
    ]);
  });

  it('sends an event at once when the room was quiet for half a window, even inside a window', () => {
    const { batcher, sent, advance } = setup(10, 100);
    batcher.push(envelope(1)); // at 0, window until 100
    advance(80);
    batcher.push(envelope(2)); // at 80: quiet for 80 ms: at once, fresh window until 180
    advance(30);
    batcher.push(envelope(3)); // at 110: 30 ms after the last event: held until 180
    expect(sent.map((s) => s.at)).toEqual([0, 80]);
    advance(70);
    expect(sent).toEqual([
      { at: 0, room: 'project:a', seqs: [1] },
      { at: 80, room: 'project:a', seqs: [2] },
      { at: 180, room: 'project:a', seqs: [3] },
    ]);
  });

  it('sends a steady 10 events/s with publisher jitter without holding any', () => {
    const { batcher, sent, advance } = setup(10, 100);
    // Due every 100 ms, published on a 20 ms tick: gaps of 80-120 ms.
    const gaps = [100, 80, 120, 80, 100, 120, 80, 80, 120, 100];
    const pushedAt: number[] = [];
    let t = 0;
    for (const [index, gap] of gaps.entries()) {
      batcher.push(envelope(index + 1));
      pushedAt.push(t);
      advance(gap);
      t += gap;
    }
    expect(sent.map((s) => s.at)).toEqual(pushedAt);
  });

  it('needs a longer quiet gap before sending alone in a big room', () => {
    // 10,000 subscribers: sending alone may happen at most 5 times a second (200 ms apart).
    const { batcher, sent, advance } = setup(10, 100, () => 10_000);
    batcher.push(envelope(1)); // idle room: at once, window until 100
    advance(60);
    batcher.push(envelope(2)); // 60 ms quiet is enough for 100 subscribers, not for 10,000: held
    advance(90);
    batcher.push(envelope(3)); // at 150: that window held one event, so the room is idle: at once
    advance(60);
    batcher.push(envelope(4)); // at 210, 60 ms later: held again
    expect(sent.map((s) => [s.at, s.seqs])).toEqual([
      [0, [1]],
      [100, [2]],
      [150, [3]],
    ]);
    const small = setup(10, 100, () => 100);
    small.batcher.push(envelope(1));
    small.advance(60);
    small.batcher.push(envelope(2));
    expect(small.sent.map((s) => s.at)).toEqual([0, 60]);
  });

  it('keeps batching while windows collect several events', () => {
    const { batcher, sent, advance } = setup(10, 100);
    batcher.push(envelope(1));
    advance(30);
    batcher.push(envelope(2));
    advance(30);
    batcher.push(envelope(3)); // two arrivals in the window: the room stays in batching mode
    advance(45); // at 105: [2, 3] went at 100, a new window runs until 200
    batcher.push(envelope(4));
    expect(sent.map((s) => s.seqs)).toEqual([[1], [2, 3]]);
    advance(95);
    expect(sent.at(-1)).toEqual({ at: 200, room: 'project:a', seqs: [4] });
  });

  it('batches rooms independently and sorts a batch by seq', () => {
    const { batcher, sent, advance } = setup();
    batcher.push(envelope(1, 'project:a'));
    batcher.push(envelope(1, 'project:b'));
    batcher.push(envelope(3, 'project:a'));
    batcher.push(envelope(2, 'project:a'));
    advance(100);
    expect(sent).toEqual([
      { at: 0, room: 'project:a', seqs: [1] },
      { at: 0, room: 'project:b', seqs: [1] },
      { at: 100, room: 'project:a', seqs: [2, 3] },
    ]);
  });

  it('flushAll sends everything queued (shutdown)', () => {
    const { batcher, sent } = setup();
    for (let seq = 1; seq <= 5; seq++) batcher.push(envelope(seq));
    batcher.flushAll();
    expect(sent.flatMap((s) => s.seqs)).toEqual([1, 2, 3, 4, 5]);
    expect(batcher.activeRooms).toBe(0);
  });

  it('sends every event alone when batching is off (maxEvents 1)', () => {
    const { batcher, sent } = setup(1, 100);
    for (let seq = 1; seq <= 3; seq++) batcher.push(envelope(seq));
    expect(sent.map((s) => s.seqs)).toEqual([[1], [2], [3]]);
  });
});
