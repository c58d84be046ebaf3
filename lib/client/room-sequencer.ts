/**
 * Per-room ordering state of the realtime client: turns the two sources of a room's events
 * (live `events` batches and `subscribe` replies) into one stream that is gap-free, in `seq`
 * order and free of duplicates (PROTOCOL.md section 5, "Delivery").
 *
 * Pure: no timers, no sockets. The caller passes `now` and reads back what to deliver and
 * whether a gap has lasted long enough to fetch the missing events with `since`.
 *
 * Why each piece exists:
 * - Dedupe (seq <= lastSeq is dropped): a resubscribe with `since` and the live stream overlap,
 *   because the server joins the room before it reads history.
 * - Out-of-order buffer (seq > lastSeq + 1 waits): live batches may overtake a subscribe reply,
 *   and with several instances an event can arrive before its predecessor.
 * - Buffering before the first reply: without a `since` we do not know lastSeq until the reply
 *   says so; live events received meanwhile are merged after the reply's `events`.
 * - Gap reporting: if a hole does not fill by itself (a batch lost with a dropped connection,
 *   or a reply cut short), the missing events are only recoverable by asking again with
 *   `since`. We wait `gapTimeoutMs` first because the usual cause is an in-flight batch.
 * - Bounded buffer: everything is durable on the server, so buffered events beyond the bound
 *   can be dropped safely; the resubscribe returns them again.
 */
import type { Envelope } from '@/lib/shared/envelope';
import type { RoomSubscription } from '@/lib/shared/socket-events';

export type SequencerPhase = 'idle' | 'subscribing' | 'live';

export interface SequencerOptions {
  /** Last seq the caller already holds (resume from a known point); null = start from the snapshot. */
  initialSeq?: number | null;
  /** How long a gap may last before it is reported. */
  gapTimeoutMs?: number;
  /** Buffered out-of-order events before the gap is reported at once (and newer ones dropped). */
  maxBuffered?: number;
}

export interface SequencerReset {
  /** The room's state at `seq`: the latest envelope per (type, state key). */
  snapshot: Envelope[];
  seq: number;
  /** Retained history the reply carried (seq <= `seq`), oldest first; useful to log views. */
  history: Envelope[];
}

export interface SequencerOutput {
  /** When set, listeners rebuild their state from it before applying `events`. */
  reset: SequencerReset | null;
  /** Events to deliver, in seq order, each exactly once. */
  events: Envelope[];
}

export interface ReplyOutput extends SequencerOutput {
  /**
   * The reply did not bring us up to the room's seq at reply time (the server capped the
   * page): ask again with `since` right away instead of waiting for the gap timeout.
   */
  truncated: boolean;
}

export const DEFAULT_GAP_TIMEOUT_MS = 1_000;
export const DEFAULT_MAX_BUFFERED = 5_000;

export class RoomSequencer {
  private last: number | null;
  /** Highest seq we know exists (from events seen or a reply's `seq`); > last means a gap. */
  private head: number;
  private readonly buffer = new Map<number, Envelope>();
  private currentPhase: SequencerPhase = 'idle';
  private gapSince: number | null = null;
  private readonly gapTimeoutMs: number;
  private readonly maxBuffered: number;

  constructor(options: SequencerOptions = {}) {
    this.last = options.initialSeq ?? null;
    this.head = this.last ?? 0;
    this.gapTimeoutMs = options.gapTimeoutMs ?? DEFAULT_GAP_TIMEOUT_MS;
    this.maxBuffered = options.maxBuffered ?? DEFAULT_MAX_BUFFERED;
  }

  /** Last seq delivered (or the snapshot's seq); null before the first reply without `since`. */
  get lastSeq(): number | null {
    return this.last;
  }

  get phase(): SequencerPhase {
    return this.currentPhase;
  }

  get bufferedCount(): number {
    return this.buffer.size;
  }

  /**
   * A subscribe request is about to be sent; returns its `since`. The out-of-order buffer is
   * cleared: everything in it is > lastSeq and already stored, so the reply carries it again.
   * Clearing also keeps events of a previous connection (or a server whose history was
   * wiped) from mixing with the new stream.
   */
  beginSubscribe(): { since?: number } {
    this.currentPhase = 'subscribing';
    this.buffer.clear();
    this.head = this.last ?? 0;
    this.gapSince = null;
    return this.last === null ? {} : { since: this.last };
  }

  /** The subscribe request failed or was abandoned (disconnect); live events keep flowing as before. */
  cancelSubscribe(now: number): void {
    this.currentPhase = this.last === null ? 'idle' : 'live';
    this.updateGap(now);
  }

  /** A live `events` batch (or part of one) for this room. */
  receiveLive(events: readonly Envelope[], now: number): SequencerOutput {
    const delivered: Envelope[] = [];
    for (const event of events) this.accept(event, delivered);
    this.drain(delivered);
    this.updateGap(now);
    return { reset: null, events: delivered };
  }

  /**
   * The reply to our subscribe. A reply with `reset`, or the first reply when we had no
   * `since`, replaces the state: lastSeq becomes reply.seq (even if lower: the server's
   * history may have been wiped) and the snapshot is handed out. Otherwise reply.events
   * continue from lastSeq. Either way, live events buffered meanwhile are merged after.
   */
  receiveReply(reply: RoomSubscription, now: number): ReplyOutput {
    const delivered: Envelope[] = [];
    let reset: SequencerReset | null = null;
    if (reply.reset || this.last === null) {
      this.last = reply.seq;
      this.head = Math.max(reply.seq, this.maxBufferedSeq());
      const history = reply.events.filter((event) => event.seq <= reply.seq);
      reset = { snapshot: reply.snapshot, seq: reply.seq, history };
      for (const event of reply.events) if (event.seq > reply.seq) this.accept(event, delivered);
    } else {
      for (const event of reply.events) this.accept(event, delivered);
      this.head = Math.max(this.head, reply.seq);
    }
    this.currentPhase = 'live';
    // Buffered live events that the reply already covered are duplicates now.
    for (const seq of this.buffer.keys()) if (seq <= (this.last ?? 0)) this.buffer.delete(seq);
    this.drain(delivered);
    // A gap left after a reply is new information: its timeout starts now.
    this.gapSince = null;
    this.updateGap(now);
    return { reset, events: delivered, truncated: (this.last ?? 0) < reply.seq };
  }

  /** True while some seq between lastSeq and the highest known seq is missing. */
  hasGap(): boolean {
    return this.last !== null && this.head > this.last;
  }

  /** When the current gap becomes worth a resubscribe; null when there is nothing to wait for. */
  gapDeadline(): number | null {
    if (this.currentPhase !== 'live' || this.gapSince === null) return null;
    return this.gapSince + this.gapTimeoutMs;
  }

  /**
   * Whether the caller should resubscribe with `since: lastSeq` now: a gap has lasted the
   * timeout, or the buffer is full. Never while a subscribe is in flight (its reply may fill it).
   */
  needsResync(now: number): boolean {
    if (this.currentPhase !== 'live' || !this.hasGap() || this.gapSince === null) return false;
    return now - this.gapSince >= this.gapTimeoutMs || this.buffer.size >= this.maxBuffered;
  }

  private accept(event: Envelope, delivered: Envelope[]): void {
    if (!Number.isInteger(event.seq) || event.seq < 1) return;
    this.head = Math.max(this.head, event.seq);
    if (this.last === null) {
      this.bufferEvent(event);
      return;
    }
    if (event.seq <= this.last) return;
    if (event.seq === this.last + 1) {
      delivered.push(event);
      this.last = event.seq;
      this.buffer.delete(event.seq);
      return;
    }
    this.bufferEvent(event);
  }

  private bufferEvent(event: Envelope): void {
    if (this.buffer.has(event.seq)) return;
    // Dropping is safe (the event is stored and `head` still records that it exists), and it
    // keeps memory bounded if a gap never fills.
    if (this.buffer.size >= this.maxBuffered) return;
    this.buffer.set(event.seq, event);
  }

  private drain(delivered: Envelope[]): void {
    if (this.last === null) return;
    for (;;) {
      const next = this.buffer.get(this.last + 1);
      if (next === undefined) return;
      this.buffer.delete(next.seq);
      delivered.push(next);
      this.last = next.seq;
    }
  }

  private maxBufferedSeq(): number {
    let max = 0;
    for (const seq of this.buffer.keys()) if (seq > max) max = seq;
    return max;
  }

  private updateGap(now: number): void {
    if (!this.hasGap()) {
      this.gapSince = null;
      return;
    }
    if (this.gapSince === null) this.gapSince = now;
  }
}
