/**
 * RateLimit over rate-limiter-flexible: fixed windows, so a burst may spend a whole window's
 * budget at once (publishers batch), and counters expire with their window, so idle keys
 * cost nothing. `adaptFlexibleLimiter` takes any of its limiters; RateLimiterRedis plugs in
 * the same way when limits must hold across instances.
 */
import { RateLimiterMemory, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimit, RateLimitDecision } from './rate-limit';

function toDecision(res: RateLimiterRes, allowed: boolean): RateLimitDecision {
  return {
    allowed,
    consumed: res.consumedPoints,
    remaining: res.remainingPoints,
    retryAfterMs: Math.max(0, res.msBeforeNext),
  };
}

export function adaptFlexibleLimiter(limiter: RateLimiterAbstract): RateLimit {
  return {
    points: limiter.points,
    windowMs: limiter.duration * 1000,
    async consume(key, points = 1) {
      try {
        return toDecision(await limiter.consume(key, points), true);
      } catch (rejection) {
        // A refusal rejects with a RateLimiterRes; a store failure rejects with an Error.
        if (rejection instanceof Error) throw rejection;
        return toDecision(rejection as RateLimiterRes, false);
      }
    },
    async refund(key, points = 1) {
      await limiter.reward(key, points);
    },
  };
}

export function createMemoryRateLimit(options: {
  points: number;
  windowSec: number;
  /** Keeps several limits apart if they ever share a store. */
  keyPrefix: string;
}): RateLimit {
  return adaptFlexibleLimiter(
    new RateLimiterMemory({
      points: options.points,
      duration: options.windowSec,
      keyPrefix: options.keyPrefix,
    }),
  );
}
