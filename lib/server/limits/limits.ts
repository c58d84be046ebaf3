/** The limiters one server instance uses, built once from config and shared by HTTP and sockets. */
import type { Config } from '../config';
import { createConnectionLimits, type ConnectionLimits } from './connection-limits';
import type { RateLimit } from './rate-limit';
import type { RedisClient } from '../realtime/redis-adapter';
import { createMemoryRateLimit } from './rate-limit-memory';
import { createSharedRateLimit } from './rate-limit-redis';

export interface Limits {
  login: RateLimit;
  publish: RateLimit;
  socketMessages: RateLimit;
  connections: ConnectionLimits;
}

/**
 * With Redis (a cluster), login attempts and publish budgets are shared by every instance;
 * socket messages and connections belong to one socket or instance and stay local.
 */
export function createLimits(limits: Config['limits'], redis: RedisClient | null = null): Limits {
  const clusterWide = (points: number, keyPrefix: string): RateLimit =>
    redis === null
      ? createMemoryRateLimit({ points, windowSec: 60, keyPrefix })
      : createSharedRateLimit({ client: redis, points, windowSec: 60, keyPrefix });
  return {
    login: clusterWide(limits.loginAttemptsPerMin, 'login'),
    publish: clusterWide(limits.publishRatePerMin, 'publish'),
    socketMessages: createMemoryRateLimit({
      points: limits.socketMessagesPerMin,
      windowSec: 60,
      keyPrefix: 'socket-messages',
    }),
    connections: createConnectionLimits({
      maxTotal: limits.maxConnections,
      maxPerKey: limits.maxConnectionsPerUser,
    }),
  };
}
