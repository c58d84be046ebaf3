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

  it('serves a repeated since from memory only while the room is unchanged', async () => {
    const store = openSqliteStore(path.join(dir, 'pages.db'), { historyMaxEvents: 3 });
    await store.append([newEvent('project:a'), newEvent('project:a')]);
    const first = await store.since('project:a', 0, 100);
    const again = await store.since('project:a', 0, 100);
    expect(again.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(again.events).toBe(first.events); // one read for both

    await store.append([newEvent('project:a')]);
    expect((await store.since('project:a', 0, 100)).events.map((e) => e.seq)).toEqual([1, 2, 3]);
    // Pruning (history keeps 3) moves min_seq: the page and the reset flag follow.
    await store.append([newEvent('project:a')]);
    const pruned = await store.since('project:a', 0, 100);
    expect(pruned).toMatchObject({ seq: 4, reset: true });
    expect(pruned.events.map((e) => e.seq)).toEqual([2, 3, 4]);
    await store.close();
  });

  it('commits concurrent appends together, each batch all-or-nothing on its own', async () => {
    const file = path.join(dir, 'group.db');
    const store = openSqliteStore(file, { historyMaxEvents: 100 });
    // A payload JSON cannot encode makes its batch fail after the batch's first event.
    const unencodable = { ...newEvent('project:a'), payload: { big: 1n } as never };
    const results = await Promise.allSettled([
      store.append([newEvent('project:a', { id: 'first-1' }), newEvent('project:a', { id: 'first-2' })]),
      store.append([newEvent('project:a', { id: 'failing-1' }), unencodable]),
      store.append([newEvent('project:a', { id: 'third-1' })]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    await store.close();
    // Reopened from the file: what was answered is durable, the failed batch left nothing.
    const reopened = openSqliteStore(file, { historyMaxEvents: 100 });
    const page = await reopened.since('project:a', 0, 100);
    expect(page.events.map((e) => [e.id, e.seq])).toEqual([
      ['first-1', 1],
      ['first-2', 2],
      ['third-1', 3],
    ]);
    const [retry] = await reopened.append([newEvent('project:a', { id: 'failing-1' })]);
    expect(retry).toMatchObject({ duplicate: false, envelope: { seq: 4 } });
    await reopened.close();
  });

  it('stores appends still waiting for their group commit when closed', async () => {
    const file = path.join(dir, 'close-pending.db');
    const store = openSqliteStore(file, { historyMaxEvents: 100 });
    const pending = store.append([newEvent('project:a', { id: 'late' })]);
    await store.close();
    await expect(pending).resolves.toMatchObject([{ envelope: { id: 'late', seq: 1 } }]);
    const reopened = openSqliteStore(file, { historyMaxEvents: 100 });
    expect((await reopened.since('project:a', 0, 10)).events.map((e) => e.id)).toEqual(['late']);
    await reopened.close();
  });
});
