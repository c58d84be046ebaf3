import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeStoreContract, newEvent } from './store-contract';
import { openSqliteStore } from './sqlite-store';

const dir = mkdtempSync(path.join(tmpdir(), 'opsroom-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStoreContract('SQLite', async (options) =>
  openSqliteStore(path.join(dir, `store-${++n}.db`), options),
);

describe('SQLite store file', () => {
  it('keeps events and seq across close and reopen (migrations run once)', async () => {
    const file = path.join(dir, 'reopen.db');
    const first = openSqliteStore(file, { historyMaxEvents: 100 });
    await first.append([newEvent('project:a'), newEvent('project:a')]);
    await first.close();
    const second = openSqliteStore(file, { historyMaxEvents: 100 });
    const [outcome] = await second.append([newEvent('project:a')]);
    expect(outcome).toMatchObject({ duplicate: false, envelope: { seq: 3 } });
    await second.close();
  });
});
