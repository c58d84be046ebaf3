/**
 * The Redis link of a cluster (REDIS_URL): two node-redis clients (commands + pub/sub) and the
 * `@socket.io/redis-adapter` built on them, so `io.to(room).emit(...)` on any instance reaches
 * that room's sockets on every instance. Each instance still emits only the batches it stored
 * (one emit per batch); the adapter carries them to the others.
 *
 * Redis is not allowed to take the process down: both clients reconnect on their own, every
 * fire-and-forget command the adapter issues has its rejection caught, and errors are logged
 * (throttled) instead of thrown. While Redis is away each instance keeps serving its own
 * sockets; clients elsewhere fill the gap by `seq` once events flow again.
 */
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Logger } from '../logger';

export type RedisClient = ReturnType<typeof createClient>;

export interface RedisLink {
  /** Commands (presence, stats) and the adapter's publishes. */
  client: RedisClient;
  /** Subscriber connection; a client in subscribe mode cannot run other commands. */
  subscriber: RedisClient;
  /** Pass to `io.adapter(...)`. */
  adapter: ReturnType<typeof createAdapter>;
  /** True when Redis answered PING within the timeout. */
  ping: () => Promise<boolean>;
  close: () => Promise<void>;
}

/** How long start waits for Redis before going on degraded (the clients keep trying). */
const CONNECT_WAIT_MS = 5_000;
const PING_TIMEOUT_MS = 1_000;
/** Reconnect back-off: 50 ms, 100 ms, ... capped at 1 s, so a restarted Redis is used again quickly. */
const reconnectDelay = (retries: number): number => Math.min(50 * 2 ** retries, 1_000);
/** At most one "Redis unavailable" log line per client per this period; node-redis errors once per retry. */
const ERROR_LOG_INTERVAL_MS = 10_000;

/** Adapter calls whose promises nobody awaits; a rejection there would be an unhandled rejection. */
const FIRE_AND_FORGET = new Set([
  'publish',
  'sPublish',
  'pSubscribe',
  'subscribe',
  'pUnsubscribe',
  'unsubscribe',
]);

function guarded(client: RedisClient, logger: Logger): RedisClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !FIRE_AND_FORGET.has(property) || typeof value !== 'function') {
        return value;
      }
      return (...args: unknown[]) => {
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (result instanceof Promise) {
          result.catch((error: unknown) =>
            logger.debug({ err: error, command: property }, 'redis command failed'),
          );
        }
        return result;
      };
    },
  });
}

function watch(client: RedisClient, role: string, logger: Logger): void {
  let lastLogged = 0;
  let down = false;
  client.on('error', (error: unknown) => {
    down = true;
    const now = Date.now();
    if (now - lastLogged < ERROR_LOG_INTERVAL_MS) return;
    lastLogged = now;
    logger.warn({ err: error, role }, 'redis unavailable; serving local clients only until it returns');
  });
  client.on('ready', () => {
    if (down) logger.info({ role }, 'redis connection restored');
    down = false;
  });
}

export async function connectRedis(url: string, parentLogger: Logger): Promise<RedisLink> {
  const logger = parentLogger.child({ module: 'redis' });
  const options = {
    url,
    socket: { reconnectStrategy: reconnectDelay, connectTimeout: 5_000 },
    // Keeps idle connections from being cut by NAT or proxies without either side noticing.
    pingInterval: 10_000,
  };
  const client: RedisClient = createClient(options);
  const subscriber: RedisClient = client.duplicate();
  watch(client, 'commands', logger);
  watch(subscriber, 'subscriber', logger);

  const connecting = Promise.all([client.connect(), subscriber.connect()]);
  connecting.catch((error: unknown) => logger.warn({ err: error }, 'redis connect failed'));
  const connected = await Promise.race([
    connecting.then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), CONNECT_WAIT_MS).unref()),
  ]);
  if (!connected) logger.warn({ url: redacted(url) }, 'redis not reachable at start; continuing without it');

  return {
    client,
    subscriber,
    adapter: createAdapter(guarded(client, logger), guarded(subscriber, logger)),
    async ping() {
      if (!client.isReady) return false;
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          client.ping().then((reply) => reply === 'PONG'),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
          }),
        ]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      // disconnect (not quit): quit would wait for queued commands a dead Redis never answers.
      await Promise.allSettled([client.disconnect(), subscriber.disconnect()]);
    },
  };
}

/** The URL without its password, for logs. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://(unparsable)';
  }
}
