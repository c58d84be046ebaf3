/**
 * The realtime client: one socket.io-client connection per tab (or per Node process), with
 * the reconnect policy, per-room resume and the offline publish queue in one place, so hooks
 * only read state and register listeners (DESIGN.md layer 5; PROTOCOL.md section 5).
 *
 * Isomorphic: runs in browsers and in Node (tests, the CLI `tail`), so nothing from `node:*`
 * or the DOM is imported; browser-only APIs are reached through `globalThis` checks.
 *
 * Why we reconnect ourselves (`reconnection: false`): socket.io's Manager does not expose when
 * its next attempt is due (the UI shows "retrying in 8 s"), it does not reconnect after
 * `io server disconnect` at all, and we must refuse to retry after UNAUTHORIZED or a revoked
 * token. One loop here handles all of it with backoff.ts.
 */
import { io as defaultIo, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { ulid } from 'ulid';
import type { Ack } from '@/lib/shared/ack';
import type { Envelope } from '@/lib/shared/envelope';
import { OpsroomError, RETRYABLE, type ErrorBody, type ErrorCode, ERROR_CODES } from '@/lib/shared/errors';
import { stateKeyOf } from '@/lib/shared/events';
import { MAX_ROOMS_PER_SUBSCRIBE } from '@/lib/shared/socket-requests';
import {
  SOCKET_PATH,
  type ClientToServerEvents,
  type PresenceMember,
  type PresenceMessage,
  type PublishRequest,
  type ReadyMessage,
  type RoomSubscription,
  type ServerDisconnectReason,
  type ServerToClientEvents,
} from '@/lib/shared/socket-events';
import { backoffDelay, type BackoffOptions } from './backoff';
import { RoomSequencer, type SequencerOutput } from './room-sequencer';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** Immutable: a new object on every change, so `useSyncExternalStore` can compare by identity. */
export interface ConnectionState {
  status: ConnectionStatus;
  /** When the next reconnect attempt starts (epoch ms, from `now`); null unless one is scheduled. */
  nextRetryAt: number | null;
  /** Round trip of the last `ping`; kept across reconnects until a new one is measured. */
  latencyMs: number | null;
  /** The last `ready` message (who we are, which instance); kept while reconnecting, cleared on close. */
  ready: ReadyMessage | null;
  /** Why we are not connected (connection lost, refused, revoked); null once connected. */
  lastError: ErrorBody | null;
  /** Reconnect attempts scheduled since the last successful connection. */
  attempt: number;
}

export interface RoomListener {
  /** New events of the room, in seq order, each exactly once. */
  onEvents(envelopes: Envelope[]): void;
  /**
   * Replace local state with `snapshot` (the latest envelope per type and state key, at
   * `seq`). Called on a first subscribe without `since`, when joining a room another
   * listener already holds, and when the server's history no longer reaches our last seq.
   * `history` holds the retained events the server sent along (log views may show them).
   */
  onReset?(snapshot: Envelope[], seq: number, history: Envelope[]): void;
  /** The server refused the subscription (FORBIDDEN, UNKNOWN_ROOM, ...). */
  onError?(error: ErrorBody): void;
}

export interface SubscribeOptions {
  /**
   * Resume after this seq instead of starting from the snapshot. Only honoured when this call
   * creates the room's subscription; a room already held by another listener continues from
   * its own position (the new listener gets the current snapshot instead if it has no since).
   */
  since?: number;
}

export type PublishResult = { id: string; seq: number };

export interface RealtimeClient {
  connect(): void;
  /** Disconnects and stops retrying; queued publishes are rejected. Rooms stay registered for a later connect(). */
  close(): void;
  getState(): ConnectionState;
  /** External-store subscription (React's useSyncExternalStore); returns the unsubscribe. */
  subscribeState(listener: (state: ConnectionState) => void): () => void;
  subscribe(room: string, listener: RoomListener, options?: SubscribeOptions): () => void;
  /** Last seq delivered in the room; null when not subscribed or before the first reply. */
  lastSeq(room: string): number | null;
  /** Resolves once the server stored the event; queued (bounded) while disconnected. */
  publish(request: PublishRequest): Promise<PublishResult>;
  /** `presence` messages of the rooms we are in. */
  onPresence(listener: (message: PresenceMessage) => void): () => void;
  getPresence(room: string): Promise<PresenceMember[]>;
}

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type IoFactory = typeof defaultIo;

export interface RealtimeClientOptions {
  /** Server origin; default: the page's own origin (required outside a browser). */
  url?: string;
  /** API token for Node clients; browsers authenticate with the session cookie. */
  token?: string;
  /** Connect on creation; default true. */
  autoConnect?: boolean;
  /** socket.io-client's `io`, injectable for tests. */
  io?: IoFactory;
  /** Clock for nextRetryAt, latency and gap timeouts; default Date.now. */
  now?: () => number;
  /** [0, 1) source for backoff jitter; default Math.random. */
  random?: () => number;
  /** Default ['websocket']: no long-polling phase, one TCP connection per tab. */
  transports?: Array<'websocket' | 'polling' | 'webtransport'>;
  backoff?: BackoffOptions;
  /** Every request waits this long for its acknowledgement; default 10 s. */
  ackTimeoutMs?: number;
  /** Latency probe period while connected; default 10 s. */
  pingIntervalMs?: number;
  /** How long a seq gap may last before the room is resubscribed with `since`; default 1 s. */
  gapTimeoutMs?: number;
  /** Publishes kept while disconnected; default 1000. Beyond it publish() rejects. */
  maxQueuedPublishes?: number;
  /** Extra socket.io options (e.g. `extraHeaders` in Node). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  /** Where exceptions thrown by listeners go; default reportError / an async rethrow. */
  onListenerError?: (error: unknown) => void;
}

interface Subscription {
  readonly listener: RoomListener;
}

interface RoomEntry {
  readonly name: string;
  readonly sequencer: RoomSequencer;
  /** One record per subscribe() call, so the same listener object may be added twice. */
  readonly subs: Set<Subscription>;
  /** Latest envelope per (type, state key), kept so late joiners get state without a round trip. */
  readonly snapshot: Map<string, Envelope>;
  /** Bumped per subscribe request; a reply for an older generation is ignored. */
  generation: number;
  inFlight: boolean;
  /** Connection id on which the server confirmed the subscription. */
  confirmedOn: number | null;
  failed: ErrorBody | null;
  releaseTimer: ReturnType<typeof setTimeout> | null;
  gapTimer: ReturnType<typeof setTimeout> | null;
}

interface QueuedPublish {
  readonly request: PublishRequest & { id: string };
  readonly resolve: (result: PublishResult) => void;
  readonly reject: (error: OpsroomError) => void;
}

/** A request that got no acknowledgement (timeout, disconnect) as opposed to a refusal. */
type Reply<T> = Ack<T> | { ok: false; error: ErrorBody; transport: true };

type AckData<E extends keyof ClientToServerEvents> =
  Parameters<Parameters<ClientToServerEvents[E]>[1]>[0] extends Ack<infer T> ? T : never;

const GIVE_UP_CODES: ReadonlySet<string> = new Set(['UNAUTHORIZED', 'FORBIDDEN_ORIGIN']);
const DEFAULT_ACK_TIMEOUT_MS = 10_000;
const DEFAULT_PING_INTERVAL_MS = 10_000;
const DEFAULT_MAX_QUEUED = 1_000;

export function createRealtimeClient(options: RealtimeClientOptions = {}): RealtimeClient {
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? Math.random;
  const ioFactory = options.io ?? defaultIo;
  const ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
  const pingIntervalMs = options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
  const maxQueued = options.maxQueuedPublishes ?? DEFAULT_MAX_QUEUED;
  const reportListenerError = options.onListenerError ?? defaultReportError;
  const hasLocation = typeof (globalThis as { location?: unknown }).location === 'object';
  if (options.url === undefined && !hasLocation) {
    throw new Error('createRealtimeClient: `url` is required outside a browser');
  }

  let state: ConnectionState = {
    status: options.autoConnect === false ? 'offline' : 'connecting',
    nextRetryAt: null,
    latencyMs: null,
    ready: null,
    lastError: null,
    attempt: 0,
  };
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const presenceListeners = new Set<(message: PresenceMessage) => void>();
  const rooms = new Map<string, RoomEntry>();
  const toSubscribe = new Set<string>();
  const publishQueue: QueuedPublish[] = [];

  let socket: ClientSocket | null = null;
  /** 'running' = we want a connection; 'stopped' = close() or gave up; 'idle' = never started. */
  let mode: 'idle' | 'running' | 'stopped' = 'idle';
  /** Incremented per transport connection; async results from an older one are dropped. */
  let connectionId = 0;
  /** `ready` received on the current connection: requests may be sent. */
  let live = false;
  let serverReason: ServerDisconnectReason | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let readyTimer: ReturnType<typeof setTimeout> | null = null;
  let pingTimer: ReturnType<typeof setInterval> | null = null;
  let pumpTimer: ReturnType<typeof setTimeout> | null = null;
  let pumping = false;
  let flushScheduled = false;
  let removeOnlineListener: (() => void) | null = null;

  // ---- state store ------------------------------------------------------------------

  function setState(patch: Partial<ConnectionState>): void {
    const changed = (Object.keys(patch) as Array<keyof ConnectionState>).some(
      (key) => !Object.is(state[key], patch[key]),
    );
    if (!changed) return;
    state = { ...state, ...patch };
    for (const listener of [...stateListeners]) safeCall(() => listener(state));
  }

  function safeCall(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      reportListenerError(error);
    }
  }

  // ---- requests -----------------------------------------------------------------------

  /** Sends one request and waits for its acknowledgement; never throws. */
  async function request<E extends keyof ClientToServerEvents>(
    event: E,
    payload: Parameters<ClientToServerEvents[E]>[0],
  ): Promise<Reply<AckData<E>>> {
    const current = socket;
    if (current === null || !live) return transportFailure('not connected');
    try {
      // The decorated ack type of `timeout()` makes emitWithAck's result `any`; the reply is
      // checked structurally below instead of trusted.
      const timed = current.timeout(ackTimeoutMs);
      const emit = timed.emitWithAck as (ev: string, arg: unknown) => Promise<unknown>;
      const reply = await emit.call(timed, event, payload);
      if (isRecord(reply) && reply.ok === true && 'data' in reply) return reply as Ack<AckData<E>>;
      if (isRecord(reply) && reply.ok === false && isRecord(reply.error)) {
        return { ok: false, error: toErrorBody(reply.error) };
      }
      return { ok: false, error: { code: 'INTERNAL', message: `malformed ${event} acknowledgement` } };
    } catch (error) {
      // socket.io rejects with "operation has timed out" or "socket has been disconnected".
      return transportFailure(error instanceof Error ? error.message : String(error));
    }
  }

  // ---- connection lifecycle -------------------------------------------------------------

  function ensureSocket(): ClientSocket {
    if (socket !== null) return socket;
    const ioOptions: Partial<ManagerOptions & SocketOptions> = {
      path: SOCKET_PATH,
      transports: options.transports ?? ['websocket'],
      withCredentials: true,
      reconnection: false,
      autoConnect: false,
      // Our own Manager: two clients in one process (tests) must not share a connection.
      forceNew: true,
      ...options.socketOptions,
    };
    if (options.token !== undefined) ioOptions.auth = { token: options.token };
    const created = (
      options.url === undefined ? ioFactory(ioOptions) : ioFactory(options.url, ioOptions)
    ) as ClientSocket;
    created.on('connect', onTransportConnect);
    created.on('ready', onReady);
    created.on('events', onEventsBatch);
    created.on('presence', (message) => {
      for (const listener of [...presenceListeners]) safeCall(() => listener(message));
    });
    created.on('server:disconnect', (message) => {
      serverReason = message.reason;
    });
    created.on('disconnect', onDisconnect);
    created.on('connect_error', onConnectError);
    socket = created;
    return created;
  }

  function openSocket(status: 'connecting' | 'reconnecting'): void {
    clearTimer(retryTimer);
    retryTimer = null;
    setState({ status, nextRetryAt: null });
    ensureSocket().connect();
  }

  function onTransportConnect(): void {
    connectionId += 1;
    serverReason = null;
    live = false;
    // The server answers a connection with `ready`; a connection that never gets one is
    // useless (server stuck in start-up), so drop it and go through the retry path.
    clearTimer(readyTimer);
    readyTimer = setTimeout(() => {
      readyTimer = null;
      if (!live && mode === 'running') socket?.disconnect();
    }, ackTimeoutMs);
  }

  function onReady(message: ReadyMessage): void {
    clearTimer(readyTimer);
    readyTimer = null;
    live = true;
    setState({ status: 'connected', attempt: 0, nextRetryAt: null, lastError: null, ready: message });
    resubscribeAll();
    startPing();
    void pumpPublishes();
  }

  function onDisconnect(reason: string): void {
    const wasReason = serverReason;
    goneDown();
    if (mode !== 'running') {
      setState({ status: 'offline', nextRetryAt: null });
      return;
    }
    if (wasReason === 'token_revoked') {
      giveUp({ code: 'UNAUTHORIZED', message: 'The API token or session was revoked.' });
      return;
    }
    scheduleRetry({
      code: 'UNAVAILABLE',
      message:
        wasReason === null ? `Connection lost (${reason}).` : `Server closed the connection (${wasReason}).`,
    });
  }

  function onConnectError(error: Error): void {
    goneDown();
    if (mode !== 'running') return;
    const data = (error as Error & { data?: unknown }).data;
    const code = isRecord(data) && typeof data.code === 'string' ? data.code : null;
    const message = isRecord(data) && typeof data.message === 'string' ? data.message : error.message;
    if (code !== null && GIVE_UP_CODES.has(code)) {
      giveUp({ code: asErrorCode(code), message });
      return;
    }
    scheduleRetry({ code: code === null ? 'UNAVAILABLE' : asErrorCode(code), message });
  }

  /** Common cleanup when the connection is lost or refused. */
  function goneDown(): void {
    live = false;
    clearTimer(readyTimer);
    readyTimer = null;
    if (pingTimer !== null) clearInterval(pingTimer);
    pingTimer = null;
    // Replies to subscribes in flight will never come; the next `ready` resubscribes.
    for (const entry of rooms.values()) {
      if (!entry.inFlight) continue;
      entry.inFlight = false;
      entry.generation += 1;
      entry.sequencer.cancelSubscribe(now());
    }
    toSubscribe.clear();
  }

  function scheduleRetry(error: ErrorBody): void {
    if (retryTimer !== null) return;
    const delay = backoffDelay(state.attempt, random, options.backoff);
    setState({
      status: 'reconnecting',
      nextRetryAt: now() + delay,
      attempt: state.attempt + 1,
      lastError: error,
    });
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (mode === 'running') openSocket('reconnecting');
    }, delay);
  }

  function giveUp(error: ErrorBody): void {
    stopRunning();
    setState({ status: 'offline', nextRetryAt: null, lastError: error, ready: null });
    rejectQueuedPublishes(error);
  }

  function stopRunning(): void {
    mode = 'stopped';
    clearTimer(retryTimer);
    retryTimer = null;
    clearTimer(pumpTimer);
    pumpTimer = null;
    removeOnlineListener?.();
    removeOnlineListener = null;
    if (socket !== null && (socket.connected || socket.active)) socket.disconnect();
    goneDown();
  }

  /**
   * A browser that comes back online retries at once instead of sleeping out a 16 s backoff.
   * Node has no such event; the backoff alone applies there.
   */
  function listenForOnline(): void {
    const target = globalThis as {
      addEventListener?: (type: string, listener: () => void) => void;
      removeEventListener?: (type: string, listener: () => void) => void;
    };
    if (typeof target.addEventListener !== 'function' || typeof target.removeEventListener !== 'function')
      return;
    const onOnline = (): void => {
      if (mode === 'running' && retryTimer !== null) openSocket('reconnecting');
    };
    target.addEventListener('online', onOnline);
    removeOnlineListener = () => target.removeEventListener?.('online', onOnline);
  }

  function connect(): void {
    if (mode === 'running') return;
    mode = 'running';
    listenForOnline();
    // An explicit connect() (first start, or after close() / giving up) starts a fresh
    // backoff sequence and shows as 'connecting'; only automatic retries are 'reconnecting'.
    setState({ attempt: 0 });
    openSocket('connecting');
  }

  function close(): void {
    if (mode === 'stopped') return;
    stopRunning();
    setState({ status: 'offline', nextRetryAt: null, ready: null });
    rejectQueuedPublishes({ code: 'UNAVAILABLE', message: 'The realtime client was closed.' });
  }

  // ---- latency ----------------------------------------------------------------------------

  function startPing(): void {
    if (pingTimer !== null) clearInterval(pingTimer);
    void ping();
    pingTimer = setInterval(() => void ping(), pingIntervalMs);
  }

  async function ping(): Promise<void> {
    const connection = connectionId;
    const started = now();
    const reply = await request('ping', {});
    if (connection !== connectionId || !reply.ok) return;
    setState({ latencyMs: Math.max(0, now() - started) });
  }

  // ---- rooms ------------------------------------------------------------------------------

  function subscribe(
    room: string,
    listener: RoomListener,
    subscribeOptions: SubscribeOptions = {},
  ): () => void {
    const sub: Subscription = { listener };
    let entry = rooms.get(room);
    if (entry === undefined) {
      entry = {
        name: room,
        sequencer: new RoomSequencer({
          initialSeq: subscribeOptions.since ?? null,
          ...(options.gapTimeoutMs === undefined ? {} : { gapTimeoutMs: options.gapTimeoutMs }),
        }),
        subs: new Set(),
        snapshot: new Map(),
        generation: 0,
        inFlight: false,
        confirmedOn: null,
        failed: null,
        releaseTimer: null,
        gapTimer: null,
      };
      rooms.set(room, entry);
      entry.subs.add(sub);
      requestSubscribe(room);
    } else {
      clearTimer(entry.releaseTimer);
      entry.releaseTimer = null;
      entry.subs.add(sub);
      if (entry.failed !== null) {
        // A new listener is a reason to ask again (permissions may have changed).
        entry.failed = null;
        requestSubscribe(room);
      }
      const seq = entry.sequencer.lastSeq;
      // Late joiner: hand it the state we keep (no server round trip). Before the first
      // reply (seq null) the reply's reset reaches every listener anyway.
      if (seq !== null && subscribeOptions.since === undefined && listener.onReset !== undefined) {
        const snapshot = snapshotList(entry);
        safeCall(() => listener.onReset?.(snapshot, seq, []));
      }
    }
    const owner = entry;
    return () => {
      if (!owner.subs.delete(sub) || owner.subs.size > 0) return;
      // Deferred by a tick: React StrictMode unmounts and remounts at once, and the remount
      // should find the room still subscribed instead of costing an unsubscribe + subscribe.
      clearTimer(owner.releaseTimer);
      owner.releaseTimer = setTimeout(() => release(owner), 0);
    };
  }

  function release(entry: RoomEntry): void {
    entry.releaseTimer = null;
    if (entry.subs.size > 0 || rooms.get(entry.name) !== entry) return;
    rooms.delete(entry.name);
    toSubscribe.delete(entry.name);
    clearTimer(entry.gapTimer);
    entry.gapTimer = null;
    // With a subscribe still in flight, its reply handler sends the unsubscribe instead, so
    // the server cannot process our leave before its join.
    if (live && !entry.inFlight && entry.confirmedOn === connectionId) {
      void request('unsubscribe', { rooms: [entry.name] });
    }
  }

  function lastSeq(room: string): number | null {
    return rooms.get(room)?.sequencer.lastSeq ?? null;
  }

  /** Coalesces subscribes made in the same tick (a page mounting many hooks) into one request. */
  function requestSubscribe(room: string): void {
    toSubscribe.add(room);
    if (flushScheduled) return;
    flushScheduled = true;
    queueMicrotask(() => {
      flushScheduled = false;
      if (!live) return; // `ready` resubscribes every room
      const entries: RoomEntry[] = [];
      for (const name of toSubscribe) {
        const entry = rooms.get(name);
        if (entry !== undefined && entry.failed === null && !entry.inFlight) entries.push(entry);
      }
      toSubscribe.clear();
      sendSubscribe(entries);
    });
  }

  /** After every (re)connect: every room in one request, each resuming from its last seq. */
  function resubscribeAll(): void {
    toSubscribe.clear();
    sendSubscribe([...rooms.values()].filter((entry) => entry.failed === null));
  }

  function sendSubscribe(entries: RoomEntry[]): void {
    // The server accepts at most MAX_ROOMS_PER_SUBSCRIBE rooms per request.
    for (let i = 0; i < entries.length; i += MAX_ROOMS_PER_SUBSCRIBE) {
      const chunk = entries.slice(i, i + MAX_ROOMS_PER_SUBSCRIBE);
      const generations = new Map<RoomEntry, number>();
      const requestRooms = chunk.map((entry) => {
        entry.generation += 1;
        entry.inFlight = true;
        generations.set(entry, entry.generation);
        clearTimer(entry.gapTimer);
        entry.gapTimer = null;
        const { since } = entry.sequencer.beginSubscribe();
        return since === undefined ? { room: entry.name } : { room: entry.name, since };
      });
      const connection = connectionId;
      void request('subscribe', { rooms: requestRooms }).then((reply) =>
        onSubscribeReply(chunk, generations, connection, reply),
      );
    }
  }

  function onSubscribeReply(
    chunk: RoomEntry[],
    generations: Map<RoomEntry, number>,
    connection: number,
    reply: Reply<{ rooms: RoomSubscription[] }>,
  ): void {
    if (connection !== connectionId) return;
    const current = chunk.filter((entry) => entry.generation === generations.get(entry));
    const stillWanted = current.filter((entry) => rooms.get(entry.name) === entry);

    if (!reply.ok) {
      for (const entry of current) {
        entry.inFlight = false;
        entry.sequencer.cancelSubscribe(now());
      }
      const transport = 'transport' in reply;
      if (!transport && !RETRYABLE.has(reply.error.code) && stillWanted.length > 1) {
        // One refused room fails the whole request; ask per room to find which.
        for (const entry of stillWanted) sendSubscribe([entry]);
        return;
      }
      if (!transport && !RETRYABLE.has(reply.error.code)) {
        for (const entry of stillWanted) failRoom(entry, reply.error);
        return;
      }
      // No ack (or a temporary refusal) on a live connection: try again shortly.
      const delay = reply.error.retryAfterMs ?? backoffDelay(0, random, options.backoff);
      setTimeout(() => {
        for (const entry of stillWanted) if (rooms.get(entry.name) === entry) requestSubscribe(entry.name);
      }, delay);
      return;
    }

    const byRoom = new Map(reply.data.rooms.map((room) => [room.room, room]));
    for (const entry of chunk) {
      if (rooms.get(entry.name) === undefined && live) {
        // Released while the subscribe was in flight: now that the join happened, leave.
        void request('unsubscribe', { rooms: [entry.name] });
      }
    }
    for (const entry of stillWanted) {
      entry.inFlight = false;
      const subscription = byRoom.get(entry.name);
      if (subscription === undefined) {
        entry.sequencer.cancelSubscribe(now());
        failRoom(entry, { code: 'INTERNAL', message: `No subscription for ${entry.name} in the reply.` });
        continue;
      }
      entry.confirmedOn = connection;
      const out = entry.sequencer.receiveReply(subscription, now());
      dispatch(entry, out);
      if (out.truncated) requestSubscribe(entry.name);
      else armGapTimer(entry);
    }
  }

  function failRoom(entry: RoomEntry, error: ErrorBody): void {
    entry.failed = error;
    for (const sub of [...entry.subs]) safeCall(() => sub.listener.onError?.(error));
  }

  function onEventsBatch(batch: Envelope[]): void {
    if (!Array.isArray(batch)) return;
    // One batch is one room today, but grouping keeps us correct if the server mixes them.
    const byRoom = new Map<string, Envelope[]>();
    for (const event of batch) {
      if (!isRecord(event) || typeof event.room !== 'string' || typeof event.seq !== 'number') continue;
      const list = byRoom.get(event.room);
      if (list === undefined) byRoom.set(event.room, [event]);
      else list.push(event);
    }
    for (const [room, events] of byRoom) {
      const entry = rooms.get(room);
      if (entry === undefined) continue;
      dispatch(entry, entry.sequencer.receiveLive(events, now()));
      armGapTimer(entry);
    }
  }

  /**
   * A gap that outlives the sequencer's timeout (or overflows its buffer) is closed by
   * resubscribing with `since`: the server replays what we missed from its durable log.
   */
  function armGapTimer(entry: RoomEntry): void {
    if (entry.sequencer.needsResync(now())) {
      clearTimer(entry.gapTimer);
      entry.gapTimer = null;
      requestSubscribe(entry.name);
      return;
    }
    const deadline = entry.sequencer.gapDeadline();
    if (deadline === null) {
      clearTimer(entry.gapTimer);
      entry.gapTimer = null;
      return;
    }
    if (entry.gapTimer !== null) return;
    entry.gapTimer = setTimeout(
      () => {
        entry.gapTimer = null;
        if (rooms.get(entry.name) === entry) armGapTimer(entry);
      },
      Math.max(0, deadline - now()),
    );
  }

  function dispatch(entry: RoomEntry, out: SequencerOutput): void {
    const { reset, events } = out;
    if (reset !== null) {
      entry.snapshot.clear();
      for (const envelope of reset.snapshot) entry.snapshot.set(snapshotKey(envelope), envelope);
      const snapshot = snapshotList(entry);
      for (const sub of [...entry.subs]) {
        safeCall(() => sub.listener.onReset?.(snapshot, reset.seq, reset.history));
      }
    }
    if (events.length === 0) return;
    for (const envelope of events) {
      if (stateKeyOf(envelope.type, envelope.payload) !== null)
        entry.snapshot.set(snapshotKey(envelope), envelope);
    }
    for (const sub of [...entry.subs]) safeCall(() => sub.listener.onEvents(events));
  }

  // ---- publish ------------------------------------------------------------------------------

  function publish(input: PublishRequest): Promise<PublishResult> {
    if (mode === 'stopped') {
      const error = state.lastError ?? { code: 'UNAVAILABLE', message: 'The realtime client is closed.' };
      return Promise.reject(toOpsroomError(error));
    }
    if (publishQueue.length >= maxQueued) {
      return Promise.reject(
        new OpsroomError('UNAVAILABLE', `The offline publish queue is full (${maxQueued} events).`),
      );
    }
    // A client-side id makes a retry after a lost ack idempotent: the server stores an id once.
    const requestWithId = { ...input, id: input.id ?? ulid() };
    return new Promise<PublishResult>((resolve, reject) => {
      publishQueue.push({ request: requestWithId, resolve, reject });
      void pumpPublishes();
    });
  }

  /**
   * Sends queued publishes one at a time, in order: waiting for each ack is what keeps the
   * order across a reconnect (a later publish can never be stored before an earlier one
   * that is being retried). Publishing from the UI is rare, so one round trip each is fine.
   */
  async function pumpPublishes(): Promise<void> {
    if (pumping || pumpTimer !== null) return;
    pumping = true;
    try {
      while (live && publishQueue.length > 0) {
        const item = publishQueue[0];
        if (item === undefined) break;
        const reply = await request('publish', item.request);
        if (publishQueue[0] !== item) continue; // rejected by close() meanwhile
        if (reply.ok) {
          publishQueue.shift();
          item.resolve(reply.data);
          continue;
        }
        if ('transport' in reply) continue; // same id again, or stop if the connection is gone
        if (reply.error.code === 'RATE_LIMIT_EXCEEDED') {
          pumpTimer = setTimeout(() => {
            pumpTimer = null;
            void pumpPublishes();
          }, reply.error.retryAfterMs ?? 1_000);
          break;
        }
        publishQueue.shift();
        item.reject(toOpsroomError(reply.error));
      }
    } finally {
      pumping = false;
    }
  }

  function rejectQueuedPublishes(error: ErrorBody): void {
    const items = publishQueue.splice(0);
    for (const item of items) item.reject(toOpsroomError(error));
  }

  // ---- presence -------------------------------------------------------------------------------

  function onPresence(listener: (message: PresenceMessage) => void): () => void {
    presenceListeners.add(listener);
    return () => presenceListeners.delete(listener);
  }

  async function getPresence(room: string): Promise<PresenceMember[]> {
    const reply = await request('presence:get', { room });
    if (!reply.ok) throw toOpsroomError(reply.error);
    return reply.data.members;
  }

  if (options.autoConnect !== false) connect();

  return {
    connect,
    close,
    getState: () => state,
    subscribeState: (listener) => {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    subscribe,
    lastSeq,
    publish,
    onPresence,
    getPresence,
  };
}

// ---- helpers ------------------------------------------------------------------------------

function snapshotKey(envelope: Envelope): string {
  // Envelopes without a state key (should not be in a snapshot) keep their own slot by id.
  return `${envelope.type}\u0000${stateKeyOf(envelope.type, envelope.payload) ?? `#${envelope.id}`}`;
}

function snapshotList(entry: RoomEntry): Envelope[] {
  return [...entry.snapshot.values()].sort((a, b) => a.seq - b.seq);
}

function transportFailure(message: string): { ok: false; error: ErrorBody; transport: true } {
  return {
    ok: false,
    error: { code: 'UNAVAILABLE', message: `No acknowledgement: ${message}` },
    transport: true,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function asErrorCode(code: string): ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'INTERNAL';
}

function toErrorBody(raw: Record<string, unknown>): ErrorBody {
  const body: ErrorBody = {
    code: asErrorCode(typeof raw.code === 'string' ? raw.code : ''),
    message: typeof raw.message === 'string' ? raw.message : 'Request failed.',
  };
  if (raw.details !== undefined) body.details = raw.details;
  if (typeof raw.retryAfterMs === 'number') body.retryAfterMs = raw.retryAfterMs;
  return body;
}

function toOpsroomError(error: ErrorBody): OpsroomError {
  return new OpsroomError(error.code, error.message, error.details, error.retryAfterMs);
}

function clearTimer(timer: ReturnType<typeof setTimeout> | null): void {
  if (timer !== null) clearTimeout(timer);
}

/** Listener bugs must not break delivery to other listeners, but must not vanish either. */
function defaultReportError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof report === 'function') {
    report(error);
    return;
  }
  setTimeout(() => {
    throw error;
  }, 0);
}
