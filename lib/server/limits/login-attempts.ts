/**
 * Login attempts per client IP. Every attempt takes a point before the password is checked
 * (so a burst of parallel guesses cannot all slip through), and a successful login gives its
 * point back: the limit is on guessing, not on an office of operators behind one NAT signing in.
 */
import { enforceRateLimit, type RateLimit } from './rate-limit';

export async function withLoginAttempt<T>(
  limit: RateLimit,
  ip: string,
  attempt: () => Promise<T>,
): Promise<T> {
  await enforceRateLimit(limit, ip, 1, 'login attempts');
  const result = await attempt();
  await limit.refund(ip, 1);
  return result;
}
