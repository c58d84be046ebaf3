/**
 * A RateLimit shared by every instance through Redis (REDIS_URL), so a token's publish budget
 * or an IP's login attempts hold across the cluster. When Redis is slow or down, the limit
 * falls back to this instance's own counter instead of failing or stalling the request:
 * node-redis queues commands while disconnected, so each call is bounded in time.
 */
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { RedisClient } from '../realtime/redis-adapter';
import type { RateLimit } from './rate-limit';
import { adaptFlexibleLimiter, createMemoryRateLimit } from './rate-limit-memory';

/** How long a limit waits for Redis before counting locally. */
export const SHARED_LIMIT_TIMEOUT_MS = 250;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis limit timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export function createSharedRateLimit(options: {
  client: RedisClient;
  points: number;
  windowSec: number;
  keyPrefix: string;
}): RateLimit {
  const shared = adaptFlexibleLimiter(
    new RateLimiterRedis({
      storeClient: options.client,
      useRedisPackage: true,
      points: options.points,
      duration: options.windowSec,
      keyPrefix: `opsroom:limit:${options.keyPrefix}`,
    }),
  );
  const local = createMemoryRateLimit(options);
  return {
    points: options.points,
    windowMs: options.windowSec * 1000,
    async consume(key, points = 1) {
      try {
        return await within(shared.consume(key, points), SHARED_LIMIT_TIMEOUT_MS);
      } catch {
        return local.consume(key, points);
      }
    },
    async refund(key, points = 1) {
      try {
        await within(shared.refund(key, points), SHARED_LIMIT_TIMEOUT_MS);
      } catch {
        await local.refund(key, points);
      }
    },
  };
}
