/**
 * A counted limit over a window, behind a small interface so the in-memory implementation
 * (rate-limit-memory.ts) can be swapped for a Redis-backed one when instances share limits
 * (PROTOCOL.md section 1, REDIS_URL) without touching the callers.
 */
import { OpsroomError } from '@/lib/shared/errors';

export interface RateLimitDecision {
  allowed: boolean;
  /** Points consumed in the current window, including this request (refused ones count too). */
  consumed: number;
  remaining: number;
  /** Until the window resets; what a refused caller is told to wait. */
  retryAfterMs: number;
}

export interface RateLimit {
  /** Points allowed per window. */
  readonly points: number;
  readonly windowMs: number;
  /** Takes `points` from the key's budget; refused when that goes over the limit. */
  consume(key: string, points?: number): Promise<RateLimitDecision>;
  /** Gives points back (a login that succeeded is not an attempt worth counting). */
  refund(key: string, points?: number): Promise<void>;
}

/** The RATE_LIMIT_EXCEEDED error for a refused decision; `what` names the limit for humans. */
export function rateLimitError(decision: RateLimitDecision, limit: RateLimit, what: string): OpsroomError {
  // Never 0: a client told "retry after 0 ms" would spin.
  const retryAfterMs = Math.max(1, Math.ceil(decision.retryAfterMs));
  return new OpsroomError(
    'RATE_LIMIT_EXCEEDED',
    `Too many ${what}: the limit is ${limit.points} per ${Math.round(limit.windowMs / 1000)} s; retry in ${Math.ceil(retryAfterMs / 1000)} s.`,
    { limit: limit.points, windowMs: limit.windowMs },
    retryAfterMs,
  );
}

/** Consumes or throws RATE_LIMIT_EXCEEDED with retryAfterMs. */
export async function enforceRateLimit(
  limit: RateLimit,
  key: string,
  points: number,
  what: string,
): Promise<void> {
  const decision = await limit.consume(key, points);
  if (!decision.allowed) throw rateLimitError(decision, limit, what);
}
