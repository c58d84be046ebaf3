import { describe, expect, it } from 'vitest';
import { SYSTEM_PRINCIPAL, type Principal } from '../auth/principal';
import { enforcePublishRate, publishRateKey } from './publish-rate';
import { createMemoryRateLimit } from './rate-limit-memory';

const token: Principal = {
  kind: 'token',
  token: { id: 't1', name: 'ci', projects: ['*'], scopes: ['publish'], hash: 'h' },
};
const user: Principal = {
  kind: 'user',
  user: { id: 'u1', email: 'a@b.co', name: 'A', role: 'operator' },
  sessionIdHash: 'h',
  expiresAt: new Date(Date.now() + 60_000).toISOString(),
};

describe('publish rate', () => {
  it('counts events per principal, batches included, and never throttles the server itself', async () => {
    const limit = createMemoryRateLimit({ points: 150, windowSec: 60, keyPrefix: 'pr' });
    await enforcePublishRate(limit, token, 100);
    await expect(enforcePublishRate(limit, token, 100)).rejects.toMatchObject({
      code: 'RATE_LIMIT_EXCEEDED',
    });
    await enforcePublishRate(limit, user, 100);
    await enforcePublishRate(limit, SYSTEM_PRINCIPAL, 1000);
    expect([publishRateKey(token), publishRateKey(user), publishRateKey(SYSTEM_PRINCIPAL)]).toEqual([
      'token:t1',
      'user:u1',
      null,
    ]);
  });
});
