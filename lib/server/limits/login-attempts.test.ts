import { describe, expect, it } from 'vitest';
import { OpsroomError } from '@/lib/shared/errors';
import { withLoginAttempt } from './login-attempts';
import { createMemoryRateLimit } from './rate-limit-memory';

describe('login attempts', () => {
  it('counts failed attempts, refuses the one over the limit, and does not count successes', async () => {
    const limit = createMemoryRateLimit({ points: 3, windowSec: 60, keyPrefix: 'la' });
    const fail = () => Promise.reject(new OpsroomError('UNAUTHORIZED', 'wrong password'));
    const succeed = () => Promise.resolve('ok');
    for (let i = 0; i < 5; i++) expect(await withLoginAttempt(limit, '10.0.0.1', succeed)).toBe('ok');
    for (let i = 0; i < 3; i++) {
      await expect(withLoginAttempt(limit, '10.0.0.1', fail)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
    await expect(withLoginAttempt(limit, '10.0.0.1', succeed)).rejects.toMatchObject({
      code: 'RATE_LIMIT_EXCEEDED',
    });
    expect(await withLoginAttempt(limit, '10.0.0.2', succeed)).toBe('ok');
  });
});
