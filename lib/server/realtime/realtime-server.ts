/**
 * Socket.IO on the app's HTTP server: handshake authentication and origin policy, one
 * handler per client event with result-envelope acks, presence, and the hub whose batches
 * go out as one `events` emit per room per batch.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { ulid } from 'ulid';
import { fail, ok, type Ack } from '@/lib/shared/ack';
import type { WsStats } from '@/lib/shared/api-types';
import { toErrorBody } from '@/lib/shared/errors';
import { SOCKET_PATH, type ServerDisconnectReason } from '@/lib/shared/socket-events';
import type { AuthService } from '../auth/auth-service';
import { displayName, memberId, type Principal } from '../auth/principal';
import { WS_COMPRESSION_THRESHOLD_BYTES, type Config } from '../config';
import { createHub } from '../hub/hub';
import type { Clock } from '../hub/clock';
import { rejectBinaryPackets } from '../limits/binary-packets';
import { limitSocketMessages } from '../limits/socket-message-limit';
import type { Limits } from '../limits/limits';
import { enforcePublishRate } from '../limits/publish-rate';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { createPresenceBroadcaster } from '../presence/presence-broadcaster';
import { createMemoryPresence } from '../presence/presence-memory';
import type { Presence } from '../presence/presence';
import { createRedisPresence } from '../presence/presence-redis';
import type { Store } from '../store/store';
import { handlePing } from './handlers/ping';
import { handlePresenceGet } from './handlers/presence-get';
import { handlePublish } from './handlers/publish';
import { handleSubscribe } from './handlers/subscribe';
import { handleUnsubscribe } from './handlers/unsubscribe';
import { createClusterHeartbeat, mergeStats } from './cluster-heartbeat';
import type { RedisLink } from './redis-adapter';
import { isAllowedOrigin } from './origin';
import { createPrincipalRefresher } from './principal-refresh';
import { broadcastLocal } from './room-broadcast';
import { startSlowConsumerGuard } from './slow-consumer';
import type { HandlerContext, OpsroomServer, OpsroomSocket } from './types';

/** How often unsent buffers are checked; memory growth between checks is rate x this. */
const SLOW_CONSUMER_CHECK_MS = 250;

/** How often every live socket's token or session is re-checked (catches CLI and other-instance changes). */
const PRINCIPAL_REFRESH_MS = 10_000;

/** How long shutdown waits for sockets to flush their last packets before cutting them. */
const CLOSE_DRAIN_TIMEOUT_MS = 3000;

export interface RealtimeDeps {
  config: Pick<
    Config,
    | 'allowedOrigins'
    | 'batch'
    | 'historyMaxEvents'
    | 'limits'
    | 'instanceId'
    | 'slowConsumerBytes'
    | 'wsCompression'
  >;
  store: Store;
  auth: AuthService;
  /** Shared with the HTTP routes: one publish budget per principal across both. */
  limits: Limits;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  /** With REDIS_URL: emits reach the room's sockets on every instance. */
  redis?: RedisLink | null;
}

export type RealtimeServer = ReturnType<typeof createRealtimeServer>;

function handshakeError(
  code: 'UNAUTHORIZED' | 'FORBIDDEN_ORIGIN' | 'TOO_MANY_CONNECTIONS',
  message: string,
): Error {
  // socket.io sends err.data to the client's connect_error handler.
  return Object.assign(new Error(message), { data: { code, message } });
}

export function createRealtimeServer(httpServer: HttpServer, deps: RealtimeDeps) {
  const { config, store, auth, metrics, clock, limits } = deps;
  const logger = deps.logger.child({ module: 'realtime' });
  const startedAt = new Date(clock.now()).toISOString();

  const io: OpsroomServer = new Server(httpServer, {
    path: SOCKET_PATH,
    serveClient: false,
    maxHttpBufferSize: config.limits.maxSocketMessageBytes,
    // Origins are checked in the middleware below, where the refusal can carry a code.
    cors: { origin: true, credentials: true },
    pingInterval: 20_000,
    pingTimeout: 20_000,
    // OPSROOM_WS_COMPRESSION: deflate costs CPU per socket per frame (a broadcast can no longer
    // share one pre-encoded frame) and zlib memory per connection; see bench/README.md.
    perMessageDeflate: config.wsCompression ? { threshold: WS_COMPRESSION_THRESHOLD_BYTES } : false,
  });
  // Before any socket connects: the adapter applies to namespaces created from here on.
  if (deps.redis) io.adapter(deps.redis.adapter);

  const hub = createHub({
    store,
    clock,
    logger,
    metrics,
    limits: { maxPayloadBytes: config.limits.maxPayloadBytes, maxJsonDepth: config.limits.maxJsonDepth },
    batch: config.batch,
    emit: (room, batches) => {
      if (deps.redis) {
        // The adapter also carries the batches to the room's sockets on the other instances.
        for (const batch of batches) io.to(room).emit('events', batch);
        return io.sockets.adapter.rooms.get(room)?.size ?? 0;
      }
      return broadcastLocal(io, room, batches, config.wsCompression);
    },
    audience: (room) => io.sockets.adapter.rooms.get(room)?.size ?? 0,
  });

  const presenceBroadcaster = createPresenceBroadcaster({
    clock,
    members: (room) => presence.members(room),
    // Local only: with Redis every instance tells its own sockets (see presence-redis.ts).
    emit: (room, members) => io.local.to(room).emit('presence', { room, members }),
    audience: (room) => io.sockets.adapter.rooms.get(room)?.size ?? 0,
  });
  const redis = deps.redis ?? null;
  // With Redis: instance heartbeat (cluster-wide stats, dead-instance detection) and presence
  // shared by all instances; without it, presence in memory.
  const heartbeat =
    redis === null
      ? null
      : createClusterHeartbeat({
          client: redis.client,
          instanceId: config.instanceId,
          local: () => {
            const local = localStats();
            return {
              id: config.instanceId,
              startedAt,
              clients: local.totalClients,
              clientsPerRoom: local.clientsPerRoom,
              eventsPerSec: local.eventsPerSec,
            };
          },
          onDead: (ids) => redisPresence?.removeInstances(ids),
          onBeat: () => redisPresence?.aliveChanged(),
          logger,
        });
  const redisPresence =
    redis === null || heartbeat === null
      ? null
      : createRedisPresence({
          client: redis.client,
          subscriber: redis.subscriber,
          instanceId: config.instanceId,
          clock,
          onChange: presenceBroadcaster.changed,
          alive: () => heartbeat.alive(),
          logger,
        });
  const presence: Presence =
    redisPresence ?? createMemoryPresence({ clock, onChange: presenceBroadcaster.changed });
  if (redis !== null && heartbeat !== null && redisPresence !== null) {
    // After a Redis outage: announce this instance and rewrite its presence (writes were lost).
    redis.client.on('ready', () => {
      void heartbeat.beat();
      redisPresence.resync();
    });
    // Pub/sub is not durable: batches other instances sent while our subscriber was away are
    // lost to our sockets, and a client learns of a gap only from a later event. So after an
    // outage each local room gets its latest stored event again; a client behind it fills the
    // gap by seq, the others drop it as a duplicate.
    let subscriberLost = false;
    redis.subscriber.on('error', () => {
      subscriberLost = true;
    });
    redis.subscriber.on('ready', () => {
      if (!subscriberLost) return;
      subscriberLost = false;
      void nudgeLocalRooms().catch((error: unknown) =>
        logger.warn({ err: error }, 'catch-up after redis failed'),
      );
    });
    heartbeat.start();
  }

  async function nudgeLocalRooms(): Promise<void> {
    for (const room of Object.keys(localStats().clientsPerRoom)) {
      const { seq } = await store.snapshot(room);
      if (seq === 0) continue;
      const { events } = await store.since(room, seq - 1, 1);
      if (events.length > 0) io.local.to(room).emit('events', events);
    }
  }

  const stopSlowConsumerGuard = startSlowConsumerGuard({
    io,
    limitBytes: config.slowConsumerBytes,
    intervalMs: SLOW_CONSUMER_CHECK_MS,
    logger,
    metrics,
  });

  const refresher = createPrincipalRefresher({
    io,
    auth,
    logger,
    disconnect: (socket, message) => {
      metrics.evictions.inc({ reason: 'token_revoked' });
      socket.emit('server:disconnect', { reason: 'token_revoked', message });
      socket.disconnect(true);
    },
  });
  const refreshTimer = setInterval(() => void refresher.refresh(), PRINCIPAL_REFRESH_MS);
  refreshTimer.unref();

  io.use((socket, next) => {
    const headers = socket.handshake.headers;
    const origin = headers.origin;
    if (
      !isAllowedOrigin(
        origin,
        {
          host: headers.host ?? null,
          forwardedHost: (headers['x-forwarded-host'] as string | undefined) ?? null,
        },
        config.allowedOrigins,
      )
    ) {
      metrics.rejected.inc({ code: 'FORBIDDEN_ORIGIN' });
      next(handshakeError('FORBIDDEN_ORIGIN', `Origin ${String(origin).slice(0, 100)} may not connect.`));
      return;
    }
    const authToken = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const attempt: Promise<Principal | null> =
      typeof authToken === 'string'
        ? auth.principalFromToken(authToken)
        : auth.authenticate({ authorization: headers.authorization ?? null, cookie: headers.cookie ?? null });
    attempt.then(
      (principal) => {
        if (principal === null) {
          metrics.rejected.inc({ code: 'UNAUTHORIZED' });
          next(handshakeError('UNAUTHORIZED', 'Log in, or pass an API token with the read scope.'));
          return;
        }
        if (principal.kind === 'token' && !principal.token.scopes.includes('read')) {
          next(handshakeError('UNAUTHORIZED', 'This API token lacks the read scope needed to connect.'));
          return;
        }
        // The client gave up while we authenticated: nothing to count or release.
        if (socket.conn.readyState !== 'open') {
          next(handshakeError('UNAUTHORIZED', 'The connection closed during the handshake.'));
          return;
        }
        const admission = limits.connections.admit(memberId(principal));
        if (!admission.ok) {
          metrics.rejected.inc({ code: 'TOO_MANY_CONNECTIONS' });
          next(handshakeError('TOO_MANY_CONNECTIONS', admission.message));
          return;
        }
        // 'disconnect' fires only for sockets that connected; the transport's close covers
        // one that dies between this point and the connection event. release is idempotent.
        socket.once('disconnect', admission.release);
        socket.conn.once('close', admission.release);
        socket.data = { principal, clientId: ulid() };
        limitSocketMessages(socket, {
          limit: limits.socketMessages,
          key: socket.data.clientId,
          onRefused: (flooding) => {
            metrics.rejected.inc({ code: 'RATE_LIMIT_EXCEEDED' });
            if (flooding)
              logger.warn({ clientId: socket.data.clientId }, 'socket message flood; disconnecting');
          },
        });
        rejectBinaryPackets(socket);
        next();
      },
      (error: unknown) => {
        logger.error({ err: error }, 'handshake authentication failed');
        next(handshakeError('UNAUTHORIZED', 'Authentication is unavailable right now.'));
      },
    );
  });

  const handlerBase: Omit<HandlerContext, 'socket'> = {
    store,
    hub,
    presence,
    auth,
    logger,
    historyMaxEvents: config.historyMaxEvents,
    maxSubscriptionsPerSocket: config.limits.maxSubscriptionsPerSocket,
  };

  /**
   * One listener per client event, shared by every socket (EventEmitter calls it with the
   * socket as `this`): per-socket closures and context objects were a measurable part of an
   * idle connection's memory (bench connections, issue #7).
   */
  function listenerFor<T>(
    event: 'subscribe' | 'unsubscribe' | 'presence:get' | 'publish' | 'ping',
    handler: (ctx: HandlerContext, request: unknown) => Promise<T>,
  ): (this: OpsroomSocket, ...args: unknown[]) => void {
    return function (this: OpsroomSocket, ...args: unknown[]) {
      const ack = args[args.length - 1];
      const request = args.length > 1 ? args[0] : undefined;
      if (typeof ack !== 'function') {
        metrics.rejected.inc({ code: 'INVALID_MESSAGE' });
        return;
      }
      const reply = ack as (reply: Ack<T>) => void;
      const ctx: HandlerContext = { ...handlerBase, socket: this };
      const handled =
        event === 'publish'
          ? enforcePublishRate(limits.publish, this.data.principal, 1).then(() => handler(ctx, request))
          : handler(ctx, request);
      handled.then(
        (data) => reply(ok(data)),
        (error: unknown) => {
          const body = toErrorBody(error);
          metrics.rejected.inc({ code: body.code });
          if (body.code === 'INTERNAL') logger.error({ err: error, event }, 'socket handler failed');
          reply(fail(body));
        },
      );
    };
  }

  const clientEvents = [
    ['subscribe', listenerFor('subscribe', handleSubscribe)],
    ['unsubscribe', listenerFor('unsubscribe', handleUnsubscribe)],
    ['presence:get', listenerFor('presence:get', handlePresenceGet)],
    ['publish', listenerFor('publish', handlePublish)],
    ['ping', listenerFor('ping', handlePing)],
  ] as const;

  function onDisconnecting(this: OpsroomSocket): void {
    for (const room of this.rooms) if (room !== this.id) presence.leave(room, this.id);
  }

  function onDisconnect(): void {
    metrics.connections.dec();
  }

  io.on('connection', (socket: OpsroomSocket) => {
    metrics.connections.inc();
    const principal = socket.data.principal;
    // The typed map describes well-behaved clients; here anything may arrive, so widen.
    const untyped = socket as unknown as { on(event: string, listener: (...args: unknown[]) => void): void };
    for (const [event, listener] of clientEvents) untyped.on(event, listener);
    socket.on('disconnecting', onDisconnecting);
    socket.on('disconnect', onDisconnect);
    // A session cannot keep its socket past its expiry (timers cap at ~24 days; sweeps cover the rest).
    if (principal.kind === 'user') {
      const expiry = setTimeout(
        () => void refresher.refresh((p) => p === socket.data.principal),
        Math.min(Math.max(0, Date.parse(principal.expiresAt) - clock.now()) + 1000, 2 ** 31 - 1),
      );
      socket.on('disconnect', () => clearTimeout(expiry));
    }
    socket.emit('ready', {
      clientId: socket.data.clientId,
      user:
        principal.kind === 'user'
          ? { id: principal.user.id, name: principal.user.name, role: principal.user.role }
          : { id: memberId(principal), name: displayName(principal), role: 'token' },
      instance: config.instanceId,
      serverTime: new Date(clock.now()).toISOString(),
    });
  });

  /** This instance's sockets only (the adapter's rooms are local even with Redis). */
  function localStats(): WsStats {
    const clientsPerRoom: Record<string, number> = {};
    for (const [room, members] of io.sockets.adapter.rooms) {
      if (io.sockets.adapter.sids.has(room)) continue; // a socket's own room
      clientsPerRoom[room] = members.size;
    }
    const totalClients = io.sockets.sockets.size;
    metrics.rooms.set(Object.keys(clientsPerRoom).length);
    return {
      totalClients,
      totalRooms: Object.keys(clientsPerRoom).length,
      clientsPerRoom,
      instances: [{ id: config.instanceId, clients: totalClients, startedAt }],
      eventsPerSec: hub.eventsPerSec(),
    };
  }

  function disconnectAll(reason: ServerDisconnectReason, message: string): void {
    for (const socket of io.sockets.sockets.values()) {
      socket.emit('server:disconnect', { reason, message });
      socket.disconnect(true);
    }
  }

  return {
    io,
    hub,
    presence,

    stats(): WsStats {
      const local = localStats();
      return heartbeat === null ? local : mergeStats(local, heartbeat.others());
    },

    /**
     * Re-checks live sockets against the store after an account change (revoked token,
     * removed user, ended session, changed role); see principal-refresh.ts.
     */
    refreshPrincipals: refresher.refresh,

    async close(): Promise<void> {
      clearInterval(refreshTimer);
      stopSlowConsumerGuard();
      hub.flush();
      disconnectAll('shutdown', 'The server is restarting; reconnect and resume with since.');
      presenceBroadcaster.close();
      await presence.close();
      await heartbeat?.close();
      const deadline = Date.now() + CLOSE_DRAIN_TIMEOUT_MS;
      while (io.engine.clientsCount > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
