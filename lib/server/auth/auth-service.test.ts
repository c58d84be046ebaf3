import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { openSqliteStore } from '../store/sqlite-store';
import { createAuthService, TOKEN_TOUCH_INTERVAL_MS } from './auth-service';

const dir = mkdtempSync(path.join(tmpdir(), 'opsroom-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('token last use', () => {
  it('is recorded on first use and then at most once per interval, not on every request', async () => {
    const store = openSqliteStore(path.join(dir, 'touch.db'), { historyMaxEvents: 100 });
    let clock = Date.parse('2026-11-30T12:00:00.000Z');
    const auth = createAuthService({
      store,
      secret: 'x'.repeat(32),
      sessionTtlMs: 3600_000,
      logger: createLogger('silent'),
      now: () => clock,
    });
    const { id, token } = await auth.createToken({ name: 'ci', projects: ['*'], scopes: ['publish'] });
    const lastUsed = async () => (await store.listTokens()).find((t) => t.id === id)?.lastUsedAt ?? null;
    const waitForWrite = () => new Promise((resolve) => setTimeout(resolve, 20));

    expect(await lastUsed()).toBeNull();
    expect(await auth.principalFromToken(token)).not.toBeNull();
    await waitForWrite();
    const first = await lastUsed();
    expect(first).not.toBeNull();

    clock += TOKEN_TOUCH_INTERVAL_MS - 1;
    await auth.principalFromToken(token);
    await waitForWrite();
    expect(await lastUsed()).toBe(first);

    clock += 1;
    await auth.principalFromToken(token);
    await waitForWrite();
    expect(await lastUsed()).not.toBe(first);
    await store.close();
  });
});
