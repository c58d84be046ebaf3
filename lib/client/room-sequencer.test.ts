import { describe, expect, it } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import type { RoomSubscription } from '@/lib/shared/socket-events';
import { RoomSequencer, type SequencerOutput } from './room-sequencer';

const ROOM = 'project:web';

function ev(seq: number, payload: Record<string, unknown> = { buildId: 'b1' }): Envelope {
  return {
    id: `e${seq}`,
    room: ROOM,
    seq,
    type: 'build:progress',
    ts: new Date(1_700_000_000_000 + seq).toISOString(),
    source: 'token:test',
    payload,
  };
}
const evs = (...seqs: number[]): Envelope[] => seqs.map((seq) => ev(seq));
const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
const seqsOf = (out: SequencerOutput): number[] => out.events.map((e) => e.seq);

function reply(partial: Partial<RoomSubscription> & { seq: number }): RoomSubscription {
  return { room: ROOM, snapshot: [], events: [], reset: false, ...partial };
}

/** A sequencer that has completed a first subscribe at `seq` (live, lastSeq = seq). */
function liveAt(seq: number, options: ConstructorParameters<typeof RoomSequencer>[0] = {}): RoomSequencer {
  const s = new RoomSequencer(options);
  s.beginSubscribe();
  s.receiveReply(reply({ seq }), 0);
  return s;
}

describe('RoomSequencer: first subscribe without since', () => {
  it('starts idle with no lastSeq and sends no since', () => {
    const s = new RoomSequencer();
    expect(s.phase).toBe('idle');
    expect(s.lastSeq).toBeNull();
    expect(s.beginSubscribe()).toEqual({});
    expect(s.phase).toBe('subscribing');
  });

  it('treats the first reply as a reset: snapshot out, lastSeq = reply.seq', () => {
    const s = new RoomSequencer();
    s.beginSubscribe();
    const snapshot = [ev(7, { buildId: 'a' }), ev(9, { buildId: 'b' })];
    const out = s.receiveReply(reply({ seq: 10, snapshot }), 0);
    expect(out.reset).toEqual({ snapshot, seq: 10, history: [] });
    expect(out.events).toEqual([]);
    expect(out.truncated).toBe(false);
    expect(s.lastSeq).toBe(10);
    expect(s.phase).toBe('live');
  });

  it('handles an empty room (seq 0) and then delivers from seq 1', () => {
    const s = liveAt(0);
    expect(s.lastSeq).toBe(0);
    expect(seqsOf(s.receiveLive(evs(1, 2), 0))).toEqual([1, 2]);
  });

  it('buffers live events that overtake the ack and merges them after it', () => {
    const s = new RoomSequencer();
    s.beginSubscribe();
    // The server joined the room before reading history: 11 and 12 arrive first.
    expect(s.receiveLive(evs(11, 12), 0).events).toEqual([]);
    expect(s.bufferedCount).toBe(2);
    const out = s.receiveReply(reply({ seq: 10 }), 0);
    expect(out.reset?.seq).toBe(10);
    expect(seqsOf(out)).toEqual([11, 12]);
    expect(s.lastSeq).toBe(12);
    expect(s.bufferedCount).toBe(0);
  });

  it('drops pre-ack live events the snapshot already covers', () => {
    const s = new RoomSequencer();
    s.beginSubscribe();
    s.receiveLive(evs(9, 10, 11), 0);
    const out = s.receiveReply(reply({ seq: 10 }), 0);
    expect(seqsOf(out)).toEqual([11]);
    expect(s.bufferedCount).toBe(0);
  });

  it('keeps a gap between the ack and early live events, and reports it', () => {
    const s = new RoomSequencer({ gapTimeoutMs: 1_000 });
    s.beginSubscribe();
    s.receiveLive(evs(13), 0);
    const out = s.receiveReply(reply({ seq: 10 }), 100);
    expect(out.events).toEqual([]);
    expect(s.hasGap()).toBe(true);
    expect(s.gapDeadline()).toBe(1_100);
    expect(s.needsResync(1_099)).toBe(false);
    expect(s.needsResync(1_100)).toBe(true);
    // The missing events arrive live after all: no resync needed.
    expect(seqsOf(s.receiveLive(evs(11, 12), 500))).toEqual([11, 12, 13]);
    expect(s.hasGap()).toBe(false);
    expect(s.gapDeadline()).toBeNull();
  });
});

describe('RoomSequencer: live ordering and dedupe', () => {
  it('delivers consecutive events at once', () => {
    const s = liveAt(5);
    expect(seqsOf(s.receiveLive(evs(6, 7, 8), 0))).toEqual([6, 7, 8]);
    expect(s.lastSeq).toBe(8);
  });

  it('drops duplicates and old events (seq <= lastSeq)', () => {
    const s = liveAt(5);
    expect(seqsOf(s.receiveLive(evs(3, 4, 5, 6, 6, 5, 7), 0))).toEqual([6, 7]);
    expect(seqsOf(s.receiveLive(evs(6, 7), 0))).toEqual([]);
  });

  it('buffers out-of-order events and releases them when the gap fills', () => {
    const s = liveAt(5);
    expect(seqsOf(s.receiveLive(evs(8, 7), 0))).toEqual([]);
    expect(s.bufferedCount).toBe(2);
    expect(s.hasGap()).toBe(true);
    expect(seqsOf(s.receiveLive(evs(6), 0))).toEqual([6, 7, 8]);
    expect(s.bufferedCount).toBe(0);
    expect(s.hasGap()).toBe(false);
  });

  it('dedupes within the buffer too', () => {
    const s = liveAt(0);
    s.receiveLive(evs(3, 3, 2), 0);
    s.receiveLive(evs(3), 0);
    expect(s.bufferedCount).toBe(2);
    expect(seqsOf(s.receiveLive(evs(1), 0))).toEqual([1, 2, 3]);
  });

  it('sorts an unordered batch', () => {
    const s = liveAt(0);
    expect(seqsOf(s.receiveLive(evs(4, 2, 3, 1), 0))).toEqual([1, 2, 3, 4]);
  });

  it('ignores malformed seqs', () => {
    const s = liveAt(0);
    const bad = [
      { ...ev(1), seq: 0 },
      { ...ev(1), seq: 1.5 },
      { ...ev(1), seq: Number.NaN },
      { ...ev(1), seq: -1 },
    ];
    expect(s.receiveLive(bad, 0).events).toEqual([]);
    expect(s.hasGap()).toBe(false);
    expect(seqsOf(s.receiveLive(evs(1), 0))).toEqual([1]);
  });

  it('returns the original envelope objects', () => {
    const s = liveAt(0);
    const e = ev(1);
    expect(s.receiveLive([e], 0).events[0]).toBe(e);
  });
});

describe('RoomSequencer: gap reporting', () => {
  it('reports a gap that persists for gapTimeoutMs, measured from when it opened', () => {
    const s = liveAt(0, { gapTimeoutMs: 1_000 });
    s.receiveLive(evs(3), 200);
    expect(s.gapDeadline()).toBe(1_200);
    s.receiveLive(evs(4), 900); // more out-of-order events do not push the deadline back
    expect(s.gapDeadline()).toBe(1_200);
    expect(s.needsResync(1_199)).toBe(false);
    expect(s.needsResync(1_200)).toBe(true);
  });

  it('reports at once when the buffer is full, and drops events beyond it', () => {
    const s = liveAt(0, { maxBuffered: 3, gapTimeoutMs: 60_000 });
    s.receiveLive(evs(2, 3), 0);
    expect(s.needsResync(0)).toBe(false);
    s.receiveLive(evs(4, 5, 6), 0);
    expect(s.bufferedCount).toBe(3);
    expect(s.needsResync(0)).toBe(true);
    // 5 and 6 were dropped; they come back through the resync reply.
    expect(seqsOf(s.receiveLive(evs(1), 0))).toEqual([1, 2, 3, 4]);
    expect(s.hasGap()).toBe(true);
    expect(s.beginSubscribe()).toEqual({ since: 4 });
    const out = s.receiveReply(reply({ seq: 6, events: evs(5, 6) }), 0);
    expect(seqsOf(out)).toEqual([5, 6]);
    expect(s.hasGap()).toBe(false);
  });

  it('never asks for a resync while a subscribe is in flight', () => {
    const s = liveAt(0, { gapTimeoutMs: 10 });
    s.receiveLive(evs(5), 0);
    expect(s.needsResync(100)).toBe(true);
    s.beginSubscribe();
    s.receiveLive(evs(7), 0);
    expect(s.needsResync(1_000)).toBe(false);
    expect(s.gapDeadline()).toBeNull();
  });

  it('restarts the gap clock at a reply that leaves a gap', () => {
    const s = liveAt(0, { gapTimeoutMs: 1_000 });
    s.receiveLive(evs(3), 0);
    s.beginSubscribe();
    s.receiveLive(evs(9), 5_000);
    const out = s.receiveReply(reply({ seq: 3, events: evs(1, 2, 3) }), 6_000);
    expect(seqsOf(out)).toEqual([1, 2, 3]);
    expect(out.truncated).toBe(false);
    expect(s.gapDeadline()).toBe(7_000);
  });

  it('flags a truncated reply (the server capped the page) for an immediate resync', () => {
    const s = liveAt(0);
    s.beginSubscribe();
    const out = s.receiveReply(reply({ seq: 2_500, events: evs(...range(1, 1_000)) }), 0);
    expect(out.events).toHaveLength(1_000);
    expect(out.truncated).toBe(true);
    expect(s.hasGap()).toBe(true);
    expect(s.beginSubscribe()).toEqual({ since: 1_000 });
  });
});

describe('RoomSequencer: resume with since', () => {
  it('starts from initialSeq and asks for events after it', () => {
    const s = new RoomSequencer({ initialSeq: 40 });
    expect(s.lastSeq).toBe(40);
    expect(s.beginSubscribe()).toEqual({ since: 40 });
    const out = s.receiveReply(reply({ seq: 43, events: evs(41, 42, 43) }), 0);
    expect(out.reset).toBeNull();
    expect(seqsOf(out)).toEqual([41, 42, 43]);
  });

  it('accepts since 0 (a room we held while it was empty)', () => {
    const s = liveAt(0);
    expect(s.beginSubscribe()).toEqual({ since: 0 });
  });

  it('merges reply events with live events that overlap them', () => {
    const s = liveAt(10);
    s.beginSubscribe();
    s.receiveLive(evs(13, 14), 0); // live stream is already past the history read
    const out = s.receiveReply(reply({ seq: 13, events: evs(11, 12, 13) }), 0);
    expect(seqsOf(out)).toEqual([11, 12, 13, 14]);
    expect(s.lastSeq).toBe(14);
  });

  it('delivers live events at once while a resubscribe is in flight when they continue lastSeq', () => {
    const s = liveAt(10);
    s.beginSubscribe();
    expect(seqsOf(s.receiveLive(evs(11), 0))).toEqual([11]);
    const out = s.receiveReply(reply({ seq: 11, events: evs(11) }), 0);
    expect(out.events).toEqual([]);
  });

  it('clears the out-of-order buffer on a new subscribe (the reply resends those events)', () => {
    const s = liveAt(10);
    s.receiveLive(evs(15, 16), 0);
    expect(s.bufferedCount).toBe(2);
    s.beginSubscribe();
    expect(s.bufferedCount).toBe(0);
    expect(s.hasGap()).toBe(false);
    const out = s.receiveReply(reply({ seq: 16, events: evs(11, 12, 13, 14, 15, 16) }), 0);
    expect(seqsOf(out)).toEqual([11, 12, 13, 14, 15, 16]);
  });

  it('ignores a reply that repeats what we already have', () => {
    const s = liveAt(10);
    s.receiveLive(evs(11, 12), 0);
    s.beginSubscribe();
    const out = s.receiveReply(reply({ seq: 12, events: evs(11, 12) }), 0);
    expect(out.events).toEqual([]);
    expect(out.reset).toBeNull();
    expect(s.lastSeq).toBe(12);
  });

  it('cancelSubscribe returns to live (or idle when nothing is known)', () => {
    const a = liveAt(3);
    a.beginSubscribe();
    a.cancelSubscribe(0);
    expect(a.phase).toBe('live');
    expect(a.beginSubscribe()).toEqual({ since: 3 });

    const b = new RoomSequencer();
    b.beginSubscribe();
    b.cancelSubscribe(0);
    expect(b.phase).toBe('idle');
    expect(b.lastSeq).toBeNull();
  });
});

describe('RoomSequencer: reset', () => {
  it('rebuilds from the snapshot when history no longer reaches back', () => {
    const s = liveAt(10);
    s.beginSubscribe();
    const snapshot = [ev(500, { buildId: 'x' })];
    const history = evs(401, 402);
    const out = s.receiveReply(reply({ seq: 520, reset: true, snapshot, events: history }), 0);
    expect(out.reset).toEqual({ snapshot, seq: 520, history });
    expect(out.events).toEqual([]);
    expect(s.lastSeq).toBe(520);
    expect(seqsOf(s.receiveLive(evs(520, 521), 0))).toEqual([521]);
  });

  it('moves lastSeq backwards when the server history was wiped (since > seq)', () => {
    const s = liveAt(900);
    s.beginSubscribe();
    const out = s.receiveReply(reply({ seq: 3, reset: true }), 0);
    expect(out.reset?.seq).toBe(3);
    expect(s.lastSeq).toBe(3);
    expect(s.hasGap()).toBe(false);
    expect(seqsOf(s.receiveLive(evs(4), 0))).toEqual([4]);
  });

  it('keeps live events newer than the reset and drops older ones', () => {
    const s = liveAt(10);
    s.beginSubscribe();
    s.receiveLive(evs(99, 101, 102), 0);
    const out = s.receiveReply(reply({ seq: 100, reset: true }), 0);
    expect(seqsOf(out)).toEqual([101, 102]);
    expect(s.bufferedCount).toBe(0);
  });

  it('delivers reply events beyond reply.seq after the reset', () => {
    const s = liveAt(10);
    s.beginSubscribe();
    const out = s.receiveReply(reply({ seq: 100, reset: true, events: evs(99, 100, 101) }), 0);
    expect(out.reset?.history.map((e) => e.seq)).toEqual([99, 100]);
    expect(seqsOf(out)).toEqual([101]);
  });
});

describe('RoomSequencer: exactly once, in order, whatever the interleaving', () => {
  /** Small deterministic PRNG so failures are reproducible. */
  function prng(seed: number): () => number {
    let x = seed >>> 0 || 1;
    return () => {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      return x / 2 ** 32;
    };
  }

  it.each(range(1, 200))('random schedule %i', (seed) => {
    const random = prng(seed);
    const total = 50 + Math.floor(random() * 150);
    const s = new RoomSequencer({ gapTimeoutMs: 5, maxBuffered: 1 + Math.floor(random() * 40) });
    const delivered: number[] = [];
    let snapshotSeq: number | null = null;
    const take = (out: SequencerOutput): void => {
      if (out.reset) {
        snapshotSeq = out.reset.seq;
        delivered.length = 0;
      }
      delivered.push(...seqsOf(out));
    };
    // The server's log grows over time; the live stream reorders, duplicates and loses events;
    // subscribe replies read the log at some point and return everything after `since`.
    let head = Math.floor(random() * 20);
    let now = 0;
    let pending: { since?: number } | null = s.beginSubscribe();
    let replyAt = head + Math.floor(random() * 10);
    const inflight: Envelope[] = [];
    while (head < total || pending !== null || inflight.length > 0 || s.hasGap() || s.lastSeq !== head) {
      now += 1;
      if (head < total && random() < 0.6) {
        head += 1;
        if (random() > 0.1) inflight.push(ev(head)); // 10 % of live events are lost
        if (random() < 0.1) inflight.push(ev(head)); // and some are duplicated
      }
      if (inflight.length > 0 && random() < 0.5) {
        // Deliver a random slice, shuffled.
        const count = 1 + Math.floor(random() * inflight.length);
        const batch = inflight.splice(0, count).sort(() => random() - 0.5);
        take(s.receiveLive(batch, now));
      }
      if (pending !== null && (head >= replyAt || head >= total)) {
        const since = pending.since;
        const events = since === undefined ? [] : evs(...range(since + 1, head));
        take(s.receiveReply(reply({ seq: head, events }), now));
        pending = null;
      }
      if (
        pending === null &&
        (s.needsResync(now) || (head >= total && inflight.length === 0 && s.lastSeq !== head))
      ) {
        pending = s.beginSubscribe();
        replyAt = head;
      }
      if (now > 100_000) throw new Error('did not converge');
    }
    expect(snapshotSeq).not.toBeNull();
    expect(delivered).toEqual(range((snapshotSeq ?? 0) + 1, total));
    expect(s.lastSeq).toBe(total);
  });
});
