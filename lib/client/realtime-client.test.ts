/**
 * The client against a scripted fake socket: status machine, backoff timing, resubscribe
 * with since, ref-counted rooms, snapshot sharing, offline publish queue. The real server is
 * exercised by realtime-client.integration.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import type { ReadyMessage, RoomSubscription } from '@/lib/shared/socket-events';
import {
  createRealtimeClient,
  type IoFactory,
  type RealtimeClientOptions,
  type RoomListener,
} from './realtime-client';

type Handler = (...args: unknown[]) => void;
interface Emitted {
  event: string;
  payload: Record<string, unknown>;
  resolve: (reply: unknown) => void;
  reject: (error: Error) => void;
}

const READY: ReadyMessage = {
  clientId: 'c1',
  user: { id: 'u1', name: 'Token t', role: 'token' },
  instance: 'i1',
  serverTime: new Date(0).toISOString(),
};

class FakeSocket {
  readonly handlers = new Map<string, Set<Handler>>();
  connected = false;
  active = false;
  connectCalls = 0;
  emitted: Emitted[] = [];
  /** Requests not answered yet (taken or not): a disconnect fails them, as socket.io does. */
  unanswered = new Set<Emitted>();

  on(event: string, handler: Handler): this {
    const set = this.handlers.get(event) ?? new Set();
    set.add(handler);
    this.handlers.set(event, set);
    return this;
  }
  connect(): this {
    this.connectCalls += 1;
    this.active = true;
    return this;
  }
  disconnect(): this {
    const was = this.connected;
    this.connected = false;
    this.active = false;
    this.failPending('socket has been disconnected');
    if (was) this.fire('disconnect', 'io client disconnect');
    return this;
  }
  timeout(_ms: number): this {
    return this;
  }
  emitWithAck(event: string, payload: Record<string, unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const item: Emitted = {
        event,
        payload,
        resolve: (reply) => {
          this.unanswered.delete(item);
          resolve(reply);
        },
        reject: (error) => {
          this.unanswered.delete(item);
          reject(error);
        },
      };
      this.emitted.push(item);
      this.unanswered.add(item);
    });
  }

  // ---- what the server does ----
  fire(event: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }
  accept(): void {
    this.connected = true;
    this.fire('connect');
    this.fire('ready', READY);
  }
  drop(reason = 'transport close'): void {
    this.connected = false;
    this.active = false;
    this.failPending('socket has been disconnected');
    this.fire('disconnect', reason);
  }
  refuse(code: string): void {
    this.active = true;
    this.fire(
      'connect_error',
      Object.assign(new Error(code), { data: { code, message: `refused: ${code}` } }),
    );
  }
  failPending(message: string): void {
    this.emitted = [];
    for (const item of [...this.unanswered]) item.reject(new Error(message));
  }
  /** Removes and returns the emitted requests of one event. */
  take(event: string): Emitted[] {
    const taken = this.emitted.filter((item) => item.event === event);
    this.emitted = this.emitted.filter((item) => item.event !== event);
    return taken;
  }
  /** Answers pings so they do not clutter `emitted`. */
  answerPings(): void {
    for (const ping of this.take('ping')) ping.resolve({ ok: true, data: { serverTime: READY.serverTime } });
  }
}

function ev(seq: number, buildId = 'b1', room = 'project:web'): Envelope {
  return {
    id: `e${room}${seq}`,
    room,
    seq,
    type: 'build:progress',
    ts: '',
    source: 't',
    payload: { buildId, step: 's' },
  };
}

function subReply(room: string, seq: number, partial: Partial<RoomSubscription> = {}): RoomSubscription {
  return { room, seq, snapshot: [], events: [], reset: false, ...partial };
}

function recorder(): RoomListener & { log: string[]; events: number[] } {
  const log: string[] = [];
  const events: number[] = [];
  return {
    log,
    events,
    onEvents: (batch) => {
      events.push(...batch.map((e) => e.seq));
      log.push(`events ${batch.map((e) => e.seq).join(',')}`);
    },
    onReset: (snapshot, seq) => log.push(`reset ${seq} [${snapshot.map((e) => e.seq).join(',')}]`),
    onError: (error) => log.push(`error ${error.code}`),
  };
}

let fake: FakeSocket;
let ioCalls: unknown[][];

function makeClient(options: Partial<RealtimeClientOptions> = {}) {
  fake = new FakeSocket();
  ioCalls = [];
  const io = ((...args: unknown[]) => {
    ioCalls.push(args);
    return fake;
  }) as unknown as IoFactory;
  return createRealtimeClient({ url: 'http://opsroom.test', token: 'tok', io, random: () => 0, ...options });
}

const tick = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('connection', () => {
  it('creates one socket with the protocol options and reaches connected on ready', async () => {
    const client = makeClient();
    expect(client.getState().status).toBe('connecting');
    expect(ioCalls).toHaveLength(1);
    expect(ioCalls[0]?.[0]).toBe('http://opsroom.test');
    expect(ioCalls[0]?.[1]).toMatchObject({
      path: '/socket.io',
      transports: ['websocket'],
      auth: { token: 'tok' },
      withCredentials: true,
      reconnection: false,
      autoConnect: false,
    });
    expect(fake.connectCalls).toBe(1);
    fake.accept();
    expect(client.getState()).toMatchObject({
      status: 'connected',
      attempt: 0,
      ready: READY,
      lastError: null,
    });
    // Latency: one ping at connect.
    const [ping] = fake.take('ping');
    vi.advanceTimersByTime(42);
    ping?.resolve({ ok: true, data: { serverTime: '' } });
    await tick();
    expect(client.getState().latencyMs).toBe(42);
    // ... and every 10 s.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.take('ping')).toHaveLength(1);
    client.close();
  });

  it('does not connect before connect() with autoConnect false', () => {
    const client = makeClient({ autoConnect: false });
    expect(client.getState().status).toBe('offline');
    expect(ioCalls).toHaveLength(0);
    client.connect();
    expect(fake.connectCalls).toBe(1);
    client.close();
  });

  it('retries with backoff 1, 2, 4, 8, 16, 16 s and exposes nextRetryAt', async () => {
    const client = makeClient();
    const delays: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      fake.refuse('TOO_MANY_CONNECTIONS');
      const state = client.getState();
      expect(state.status).toBe('reconnecting');
      expect(state.attempt).toBe(i + 1);
      expect(state.lastError?.code).toBe('TOO_MANY_CONNECTIONS');
      delays.push((state.nextRetryAt ?? 0) - Date.now());
      const before = fake.connectCalls;
      await vi.advanceTimersByTimeAsync((state.nextRetryAt ?? 0) - Date.now() - 1);
      expect(fake.connectCalls).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(fake.connectCalls).toBe(before + 1);
      expect(client.getState()).toMatchObject({ status: 'reconnecting', nextRetryAt: null });
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 16_000]);
    fake.accept();
    expect(client.getState()).toMatchObject({ status: 'connected', attempt: 0, nextRetryAt: null });
    client.close();
  });

  it('reconnects after a drop, a slow_consumer or a shutdown, starting again at 1 s', async () => {
    const client = makeClient();
    fake.accept();
    for (const reason of ['slow_consumer', 'shutdown', null] as const) {
      if (reason !== null) fake.fire('server:disconnect', { reason, message: '' });
      fake.drop(reason === null ? 'transport close' : 'io server disconnect');
      expect(client.getState()).toMatchObject({
        status: 'reconnecting',
        attempt: 1,
        nextRetryAt: Date.now() + 1_000,
      });
      await vi.advanceTimersByTimeAsync(1_000);
      fake.accept();
      expect(client.getState().status).toBe('connected');
    }
    client.close();
  });

  it('stops on UNAUTHORIZED and on a revoked token', async () => {
    const a = makeClient();
    fake.refuse('UNAUTHORIZED');
    expect(a.getState()).toMatchObject({
      status: 'offline',
      nextRetryAt: null,
      lastError: { code: 'UNAUTHORIZED' },
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.connectCalls).toBe(1);
    await expect(a.publish({ room: 'project:web', type: 'x:y', payload: {} })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });

    const b = makeClient();
    fake.accept();
    fake.fire('server:disconnect', { reason: 'token_revoked', message: 'revoked' });
    fake.drop('io server disconnect');
    expect(b.getState()).toMatchObject({ status: 'offline', lastError: { code: 'UNAUTHORIZED' } });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.connectCalls).toBe(1);
    // connect() again is allowed (e.g. after logging in again).
    b.connect();
    expect(fake.connectCalls).toBe(2);
    expect(b.getState()).toMatchObject({ status: 'connecting', attempt: 0 });
    b.close();
  });

  it('close() goes offline and cancels a scheduled retry', async () => {
    const client = makeClient();
    fake.refuse('INTERNAL');
    client.close();
    expect(client.getState()).toMatchObject({ status: 'offline', nextRetryAt: null });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.connectCalls).toBe(1);
  });

  it('notifies state listeners with a new object per change', () => {
    const client = makeClient({ autoConnect: false });
    const seen: string[] = [];
    const off = client.subscribeState((state) => seen.push(state.status));
    const before = client.getState();
    client.connect();
    fake.accept();
    expect(client.getState()).not.toBe(before);
    expect(seen).toEqual(['connecting', 'connected']);
    off();
    client.close();
    expect(seen).toEqual(['connecting', 'connected']);
  });
});

describe('rooms', () => {
  it('subscribes all rooms in one request, delivers snapshot then events, resumes with since', async () => {
    const client = makeClient();
    const web = recorder();
    const api = recorder();
    client.subscribe('project:web', web);
    client.subscribe('project:api', api);
    fake.accept();
    fake.answerPings();
    const [first, ...rest] = fake.take('subscribe');
    expect(rest).toHaveLength(0);
    expect(first?.payload).toEqual({ rooms: [{ room: 'project:web' }, { room: 'project:api' }] });
    // A live event overtakes the ack.
    fake.fire('events', [ev(6)]);
    first?.resolve({
      ok: true,
      data: { rooms: [subReply('project:web', 5, { snapshot: [ev(5)] }), subReply('project:api', 0)] },
    });
    await tick();
    expect(web.log).toEqual(['reset 5 [5]', 'events 6']);
    expect(api.log).toEqual(['reset 0 []']);
    fake.fire('events', [ev(7), ev(7), ev(6)]);
    expect(web.events).toEqual([6, 7]);
    expect(client.lastSeq('project:web')).toBe(7);

    fake.drop();
    await vi.advanceTimersByTimeAsync(1_000);
    fake.accept();
    fake.answerPings();
    const [again] = fake.take('subscribe');
    expect(again?.payload).toEqual({
      rooms: [
        { room: 'project:web', since: 7 },
        { room: 'project:api', since: 0 },
      ],
    });
    again?.resolve({
      ok: true,
      data: {
        rooms: [subReply('project:web', 9, { events: [ev(7), ev(8), ev(9)] }), subReply('project:api', 0)],
      },
    });
    await tick();
    expect(web.events).toEqual([6, 7, 8, 9]);
    expect(web.log.filter((line) => line.startsWith('reset'))).toHaveLength(1);
    client.close();
  });

  it('shares one server subscription, survives StrictMode remounts, unsubscribes a tick after the last leaves', async () => {
    const client = makeClient();
    fake.accept();
    fake.answerPings();
    const a = recorder();
    const offA = client.subscribe('project:web', a);
    offA(); // StrictMode: mount, unmount, mount
    const offA2 = client.subscribe('project:web', a);
    await tick();
    const subs = fake.take('subscribe');
    expect(subs).toHaveLength(1);
    subs[0]?.resolve({
      ok: true,
      data: { rooms: [subReply('project:web', 2, { snapshot: [ev(1, 'x'), ev(2, 'y')] })] },
    });
    await tick();
    expect(fake.take('unsubscribe')).toHaveLength(0);
    fake.fire('events', [ev(3, 'x')]);

    // A late joiner gets the merged snapshot at once, without a server round trip.
    const b = recorder();
    const offB = client.subscribe('project:web', b);
    expect(b.log).toEqual(['reset 3 [2,3]']);
    expect(fake.take('subscribe')).toHaveLength(0);
    fake.fire('events', [ev(4)]);
    expect(a.events).toEqual([3, 4]);
    expect(b.events).toEqual([4]);

    offA2();
    offA2(); // idempotent
    await tick();
    expect(fake.take('unsubscribe')).toHaveLength(0);
    offB();
    await tick();
    expect(fake.take('unsubscribe').map((u) => u.payload)).toEqual([{ rooms: ['project:web'] }]);
    expect(client.lastSeq('project:web')).toBeNull();
    fake.fire('events', [ev(5)]);
    expect(a.events).toEqual([3, 4]);
    client.close();
  });

  it('honours since on the first subscription', async () => {
    const client = makeClient();
    const tail = recorder();
    client.subscribe('project:web', tail, { since: 40 });
    fake.accept();
    const [sub] = fake.take('subscribe');
    expect(sub?.payload).toEqual({ rooms: [{ room: 'project:web', since: 40 }] });
    sub?.resolve({ ok: true, data: { rooms: [subReply('project:web', 41, { events: [ev(41)] })] } });
    await tick();
    expect(tail.log).toEqual(['events 41']);
    client.close();
  });

  it('finds the refused room of a batch and reports it to its listeners only', async () => {
    const client = makeClient();
    const ok = recorder();
    const bad = recorder();
    client.subscribe('project:web', ok);
    client.subscribe('system', bad);
    fake.accept();
    const [batch] = fake.take('subscribe');
    batch?.resolve({ ok: false, error: { code: 'FORBIDDEN', message: 'no' } });
    await tick();
    const single = fake.take('subscribe');
    expect(single.map((s) => s.payload)).toEqual([
      { rooms: [{ room: 'project:web' }] },
      { rooms: [{ room: 'system' }] },
    ]);
    single[0]?.resolve({ ok: true, data: { rooms: [subReply('project:web', 0)] } });
    single[1]?.resolve({ ok: false, error: { code: 'FORBIDDEN', message: 'no' } });
    await tick();
    expect(ok.log).toEqual(['reset 0 []']);
    expect(bad.log).toEqual(['error FORBIDDEN']);
    // A failed room is not retried on reconnect.
    fake.drop();
    await vi.advanceTimersByTimeAsync(1_000);
    fake.accept();
    expect(fake.take('subscribe').map((s) => s.payload)).toEqual([
      { rooms: [{ room: 'project:web', since: 0 }] },
    ]);
    client.close();
  });

  it('resubscribes with since when a gap outlives the timeout', async () => {
    const client = makeClient({ gapTimeoutMs: 1_000 });
    const l = recorder();
    client.subscribe('project:web', l);
    fake.accept();
    fake.answerPings();
    fake.take('subscribe')[0]?.resolve({ ok: true, data: { rooms: [subReply('project:web', 1)] } });
    await tick();
    fake.fire('events', [ev(3)]);
    await vi.advanceTimersByTimeAsync(999);
    expect(fake.take('subscribe')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    const [resync] = fake.take('subscribe');
    expect(resync?.payload).toEqual({ rooms: [{ room: 'project:web', since: 1 }] });
    resync?.resolve({ ok: true, data: { rooms: [subReply('project:web', 3, { events: [ev(2), ev(3)] })] } });
    await tick();
    expect(l.events).toEqual([2, 3]);
    client.close();
  });

  it('keeps delivering to other listeners when one throws', () => {
    const errors: unknown[] = [];
    const client = makeClient({ onListenerError: (error) => errors.push(error) });
    fake.accept();
    const good = recorder();
    client.subscribe('project:web', {
      onEvents: () => {
        throw new Error('boom');
      },
    });
    client.subscribe('project:web', good);
    return tick().then(async () => {
      fake.take('subscribe')[0]?.resolve({ ok: true, data: { rooms: [subReply('project:web', 0)] } });
      await tick();
      fake.fire('events', [ev(1)]);
      expect(good.events).toEqual([1]);
      expect(errors).toHaveLength(1);
      client.close();
    });
  });
});

describe('publish', () => {
  it('queues while offline and flushes in order with stable ids, retrying after a lost ack', async () => {
    const client = makeClient();
    const results = [1, 2, 3].map((n) =>
      client.publish({ room: 'project:web', type: 'x:y', payload: { n } }),
    );
    await tick();
    expect(fake.take('publish')).toHaveLength(0);
    fake.accept();
    fake.answerPings();
    await tick();
    let [p] = fake.take('publish');
    expect(p?.payload).toMatchObject({ payload: { n: 1 } });
    const id1 = p?.payload.id;
    expect(typeof id1).toBe('string');
    p?.resolve({ ok: true, data: { id: id1, seq: 10 } });
    await tick();
    [p] = fake.take('publish');
    expect(p?.payload).toMatchObject({ payload: { n: 2 } });
    const id2 = p?.payload.id;
    // Connection lost before the ack: the same publish goes again, same id, after reconnect.
    fake.drop();
    await vi.advanceTimersByTimeAsync(1_000);
    fake.accept();
    fake.answerPings();
    await tick();
    [p] = fake.take('publish');
    expect(p?.payload).toMatchObject({ id: id2, payload: { n: 2 } });
    p?.resolve({ ok: true, data: { id: id2, seq: 11 } });
    await tick();
    [p] = fake.take('publish');
    expect(p?.payload).toMatchObject({ payload: { n: 3 } });
    p?.resolve({ ok: false, error: { code: 'INVALID_EVENT', message: 'bad' } });
    await expect(results[0]).resolves.toEqual({ id: id1, seq: 10 });
    await expect(results[1]).resolves.toEqual({ id: id2, seq: 11 });
    await expect(results[2]).rejects.toMatchObject({ code: 'INVALID_EVENT' });
    client.close();
  });

  it('keeps a caller-supplied id and bounds the queue', async () => {
    const client = makeClient({ maxQueuedPublishes: 2, autoConnect: false });
    const a = client.publish({ room: 'project:web', type: 'x:y', payload: {}, id: 'my-id' });
    const b = client.publish({ room: 'project:web', type: 'x:y', payload: {} });
    await expect(client.publish({ room: 'project:web', type: 'x:y', payload: {} })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    client.connect();
    fake.accept();
    await tick();
    const [p] = fake.take('publish');
    expect(p?.payload.id).toBe('my-id');
    client.close();
    await expect(a).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(b).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('waits retryAfterMs on RATE_LIMIT_EXCEEDED and sends the same publish again', async () => {
    const client = makeClient();
    fake.accept();
    fake.answerPings();
    const result = client.publish({ room: 'project:web', type: 'x:y', payload: {} });
    await tick();
    const [first] = fake.take('publish');
    first?.resolve({
      ok: false,
      error: { code: 'RATE_LIMIT_EXCEEDED', message: 'slow down', retryAfterMs: 500 },
    });
    await vi.advanceTimersByTimeAsync(499);
    expect(fake.take('publish')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    const [second] = fake.take('publish');
    expect(second?.payload.id).toBe(first?.payload.id);
    second?.resolve({ ok: true, data: { id: first?.payload.id, seq: 1 } });
    await expect(result).resolves.toMatchObject({ seq: 1 });
    client.close();
  });
});
