/**
 * Published events per principal (token, or user across all their sessions), HTTP and socket
 * together. Events are counted, not requests: a batch of 100 costs 100.
 */
import { assertNever } from '@/lib/shared/assert-never';
import type { Principal } from '../auth/principal';
import { enforceRateLimit, type RateLimit } from './rate-limit';

export function publishRateKey(principal: Principal): string | null {
  switch (principal.kind) {
    case 'user':
      return `user:${principal.user.id}`;
    case 'token':
      return `token:${principal.token.id}`;
    case 'system':
      return null; // Opsroom's own self-report is not throttled.
    default:
      return assertNever(principal);
  }
}

/** Throws RATE_LIMIT_EXCEEDED (with retryAfterMs) when `events` would pass the budget. */
export async function enforcePublishRate(
  limit: RateLimit,
  principal: Principal,
  events: number,
): Promise<void> {
  const key = publishRateKey(principal);
  if (key !== null) await enforceRateLimit(limit, key, events, 'published events');
}
