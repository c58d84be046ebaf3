import { describe, expect, it } from 'vitest';
import { isOpsroomError } from '@/lib/shared/errors';
import { enforceRateLimit, rateLimitError } from './rate-limit';
import { createMemoryRateLimit } from './rate-limit-memory';

describe('memory rate limit', () => {
  it('allows the budget, then refuses with the time until the window resets', async () => {
    const limit = createMemoryRateLimit({ points: 3, windowSec: 60, keyPrefix: 't1' });
    for (let i = 1; i <= 3; i++) {
      expect(await limit.consume('a')).toMatchObject({ allowed: true, consumed: i, remaining: 3 - i });
    }
    const refused = await limit.consume('a');
    expect(refused).toMatchObject({ allowed: false, consumed: 4, remaining: 0 });
    expect(refused.retryAfterMs).toBeGreaterThan(55_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    // Keys are independent.
    expect((await limit.consume('b')).allowed).toBe(true);
  });

  it('counts points, not calls: a batch larger than what is left is refused whole', async () => {
    const limit = createMemoryRateLimit({ points: 100, windowSec: 60, keyPrefix: 't2' });
    expect((await limit.consume('k', 60)).allowed).toBe(true);
    expect((await limit.consume('k', 41)).allowed).toBe(false);
  });

  it('refund gives points back', async () => {
    const limit = createMemoryRateLimit({ points: 1, windowSec: 60, keyPrefix: 't3' });
    expect((await limit.consume('k')).allowed).toBe(true);
    await limit.refund('k');
    expect((await limit.consume('k')).allowed).toBe(true);
    expect((await limit.consume('k')).allowed).toBe(false);
  });

  it('starts a fresh budget when the window ends', async () => {
    const limit = createMemoryRateLimit({ points: 1, windowSec: 1, keyPrefix: 't4' });
    await limit.consume('k');
    expect((await limit.consume('k')).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await limit.consume('k')).allowed).toBe(true);
  });

  it('turns a refusal into RATE_LIMIT_EXCEEDED with retryAfterMs (never 0)', async () => {
    const limit = createMemoryRateLimit({ points: 1, windowSec: 60, keyPrefix: 't5' });
    await enforceRateLimit(limit, 'k', 1, 'things');
    const error = await enforceRateLimit(limit, 'k', 1, 'things').catch((e: unknown) => e);
    expect(isOpsroomError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', details: { limit: 1, windowMs: 60_000 } });
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    expect(
      rateLimitError({ allowed: false, consumed: 2, remaining: 0, retryAfterMs: 0 }, limit, 'x').retryAfterMs,
    ).toBe(1);
  });
});
