/** The limiters one server instance uses, built once from config and shared by HTTP and sockets. */
import type { Config } from '../config';
import { createConnectionLimits, type ConnectionLimits } from './connection-limits';
import type { RateLimit } from './rate-limit';
import { createMemoryRateLimit } from './rate-limit-memory';

export interface Limits {
  login: RateLimit;
  publish: RateLimit;
  socketMessages: RateLimit;
  connections: ConnectionLimits;
}

export function createLimits(limits: Config['limits']): Limits {
  return {
    login: createMemoryRateLimit({ points: limits.loginAttemptsPerMin, windowSec: 60, keyPrefix: 'login' }),
    publish: createMemoryRateLimit({ points: limits.publishRatePerMin, windowSec: 60, keyPrefix: 'publish' }),
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
