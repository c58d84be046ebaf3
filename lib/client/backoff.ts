/**
 * Reconnect delay policy (issue: "exponential backoff 1, 2, 4, 8, 16 s cap, with jitter").
 *
 * Jitter choice: the nominal delay is min(baseMs * 2^attempt, maxMs) and the jitter only
 * shortens it, by up to `jitter` (25 %) of the nominal value: attempt 0 waits 0.75-1 s,
 * attempt 4 and later 12-16 s. Why downward only: the cap stays a true upper bound (a UI can
 * promise "next retry within 16 s"), and a server restart that drops every tab at once still
 * has its reconnects spread over a quarter of the window instead of arriving in one burst.
 * "Full jitter" (0..nominal) spreads more but lets a first retry fire after ~0 ms, which
 * hammers a server that has just gone away.
 */

export interface BackoffOptions {
  /** Nominal delay of the first retry. */
  baseMs?: number;
  /** Upper bound of any delay. */
  maxMs?: number;
  /** Fraction (0-1) by which a delay may be shortened at random. */
  jitter?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { baseMs: 1_000, maxMs: 16_000, jitter: 0.25 };

/**
 * Delay before retry number `attempt` (0 = first retry after a failure or a drop).
 * `random` returns a number in [0, 1) (Math.random, or a fixed value in tests); the function
 * is pure so the policy is testable without timers.
 */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = {}): number {
  const { baseMs, maxMs, jitter } = { ...DEFAULT_BACKOFF, ...options };
  // Clamp the exponent: 2^attempt overflows to Infinity long before attempt reaches 1024,
  // and a long outage keeps counting attempts.
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30);
  const nominal = Math.min(baseMs * 2 ** exponent, maxMs);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(nominal * (1 - jitter * r));
}
