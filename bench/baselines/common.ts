/**
 * Shared by the baseline servers: the publish endpoint (same body as Opsroom's
 * `POST /api/events`, turned into the same envelope shape), and the per-room batcher the raw
 * `ws` baseline uses. No storage, auth or validation beyond the shape: the baselines show what
 * the fan-out alone costs.
 */
import http from 'node:http';
import { ulid } from 'ulid';
import type { Envelope } from '@/lib/shared/envelope';

export type FanOut = (envelope: Envelope) => void;

const MAX_BODY_BYTES = 1024 * 1024;

/** Handles `POST /publish` `{events:[{room,type,payload}]}` -> `202 {accepted:[{id,room,seq}]}`. */
export function createPublishHandler(fanOut: FanOut): http.RequestListener {
  const seqByRoom = new Map<string, number>();
  return (request, response) => {
    if (request.method !== 'POST' || request.url !== '/publish') {
      response.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      let events: Array<{ room: string; type: string; payload: Record<string, unknown> }>;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events?: unknown };
        if (!Array.isArray(body.events) || size > MAX_BODY_BYTES) throw new Error('bad body');
        events = body.events as typeof events;
      } catch {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end('{"error":{"code":"INVALID_MESSAGE","message":"bad body"}}');
        return;
      }
      const ts = new Date().toISOString();
      const envelopes: Envelope[] = events.map((event) => {
        const seq = (seqByRoom.get(event.room) ?? 0) + 1;
        seqByRoom.set(event.room, seq);
        return {
          id: ulid(),
          room: event.room,
          seq,
          type: event.type,
          ts,
          source: 'token:bench',
          payload: event.payload,
        };
      });
      response.writeHead(202, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ accepted: envelopes.map(({ id, room, seq }) => ({ id, room, seq })) }));
      for (const envelope of envelopes) fanOut(envelope);
    });
  };
}

/**
 * Per-room batching with the window semantics of PROTOCOL.md section 5: when the room is idle
 * the first event goes out at once and opens a window of `maxWaitMs`; events arriving inside
 * the window are queued and sent, `maxEvents` per array, when the window ends (which opens the
 * next window if two or more events arrived in it, as the Opsroom hub does).
 * `maxEvents = 1` means no batching.
 */
export class RoomBatcher {
  private queue: Envelope[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Events that arrived during the current window. */
  private arrivals = 0;

  constructor(
    private readonly maxEvents: number,
    private readonly maxWaitMs: number,
    private readonly send: (batch: Envelope[]) => void,
    /** The room's subscriber count. */
    private readonly audience: () => number = () => 0,
  ) {}

  /** Date.now() of the latest event. */
  private lastArrivalAt = 0;

  push(envelope: Envelope): void {
    if (this.maxEvents <= 1) {
      this.send([envelope]);
      return;
    }
    const now = Date.now();
    const quietFor = now - this.lastArrivalAt;
    this.lastArrivalAt = now;
    // As lib/server/hub/batcher.ts: idle (no window, or quiet for half a window, longer in a
    // big room: at most 50,000 writes/s on events sent alone) -> at once.
    const idleGapMs = Math.max(this.maxWaitMs / 2, (this.audience() * 1000) / 50_000);
    if (this.timer === null || (this.queue.length === 0 && quietFor >= idleGapMs)) {
      if (this.timer !== null) clearTimeout(this.timer);
      this.send([envelope]);
      this.openWindow();
      return;
    }
    this.arrivals += 1;
    this.queue.push(envelope);
    // As lib/server/hub/batcher.ts: full arrays wait for the window end (up to 32 of them),
    // at most a quarter window once the first one is full.
    if (this.queue.length >= this.maxEvents * 32) this.flushQueue();
    else if (this.queue.length === this.maxEvents && this.windowEndsAt - now > this.maxWaitMs / 4) {
      this.endWindowIn(this.maxWaitMs / 4);
    }
  }

  /** One `send` per array: a bare ws server writes each frame on its own. */
  private flushQueue(): void {
    while (this.queue.length > 0) this.send(this.queue.splice(0, this.maxEvents));
  }

  private openWindow(): void {
    this.arrivals = 0;
    this.endWindowIn(this.maxWaitMs);
  }

  private windowEndsAt = 0;

  private endWindowIn(ms: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.windowEndsAt = Date.now() + ms;
    this.timer = setTimeout(() => this.windowEnded(), ms);
  }

  private windowEnded(): void {
    this.timer = null;
    this.flushQueue();
    // As lib/server/hub/batcher.ts: a window with at most one arrival leaves the room idle.
    if (this.arrivals > 1) this.openWindow();
  }
}

export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}

/** The line the bench parent waits for (it reads the port from it; the baselines listen on port 0). */
export function announceListening(server: http.Server): void {
  const address = server.address();
  const port = address !== null && typeof address === 'object' ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ msg: 'listening', port })}\n`);
}

/** Exit promptly on SIGTERM/SIGINT; the bench measures, it does not test graceful shutdown. */
export function exitOnSignals(): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => process.exit(0));
}
