/**
 * Fixed-window rate limits: a burst may spend a whole window's budget at once (publishers
 * batch), and a counter is gone once its window ended, so idle keys cost nothing.
 *
 * `createMemoryRateLimit` keeps one small record per key in a Map, swept once a window.
 * rate-limiter-flexible's memory store kept a record, a Date and a timer per key, a
 * measurable part of an idle socket's memory, since every socket has its own message budget
 * (bench connections, issue #7). `adaptFlexibleLimiter` wraps any rate-limiter-flexible
 * limiter: RateLimiterRedis when limits must hold across instances (rate-limit-redis.ts).
 */
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
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

interface CounterWindow {
  consumed: number;
  /** Date.now() at which the window ends. */
  resetAt: number;
}

export function createMemoryRateLimit(options: {
  points: number;
  windowSec: number;
  /** Names the limit; a memory limit keeps its own map, so it needs no key prefix. */
  keyPrefix: string;
}): RateLimit {
  const { points } = options;
  const windowMs = options.windowSec * 1000;
  const windows = new Map<string, CounterWindow>();
  let sweeper: NodeJS.Timeout | null = null;

  function sweep(): void {
    const now = Date.now();
    for (const [key, window] of windows) if (window.resetAt <= now) windows.delete(key);
    if (windows.size === 0 && sweeper !== null) {
      clearInterval(sweeper);
      sweeper = null;
    }
  }

  function windowOf(key: string, now: number): CounterWindow {
    let window = windows.get(key);
    if (window === undefined || window.resetAt <= now) {
      window = { consumed: 0, resetAt: now + windowMs };
      windows.set(key, window);
      if (sweeper === null) {
        sweeper = setInterval(sweep, windowMs);
        sweeper.unref();
      }
    }
    return window;
  }

  return {
    points,
    windowMs,
    async consume(key, cost = 1) {
      const now = Date.now();
      const window = windowOf(key, now);
      // Refused requests count too, so a client hammering past the limit stays refused.
      window.consumed += cost;
      const allowed = window.consumed <= points;
      return {
        allowed,
        consumed: window.consumed,
        remaining: Math.max(0, points - window.consumed),
        retryAfterMs: Math.max(0, window.resetAt - now),
      };
    },
    async refund(key, cost = 1) {
      const window = windows.get(key);
      if (window !== undefined && window.resetAt > Date.now()) {
        window.consumed = Math.max(0, window.consumed - cost);
      }
    },
  };
}
