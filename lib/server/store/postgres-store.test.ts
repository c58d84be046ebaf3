import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '@/tests/helpers/free-port';
import { describeStoreContract, newEvent } from './store-contract';
import { openPostgresStore } from './postgres-store';
import { POSTGRES_MIGRATIONS } from './postgres-migrations';
import {
  TEST_DATABASE_URL,
  adminQuery,
  dropTestSchema,
  openTestStore,
  requirePostgres,
  testSchemaName,
} from './postgres-test-db';
import type { AppendOutcome, Store } from './store';

// Fails (not skips) every test below with a one-line "start PostgreSQL" message when it is down.
beforeEach(requirePostgres);

describeStoreContract('PostgreSQL', (options) => openTestStore(options));

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** list[i] for indexes the test knows exist (noUncheckedIndexedAccess without `!`). */
function at<T>(list: readonly T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`no item ${i}`);
  return item;
}
const stored = (outcomes: AppendOutcome[]) => outcomes.flatMap((o) => (o.duplicate ? [] : [o.envelope]));

describe('PostgreSQL store with several writers', () => {
  const schemas: string[] = [];
  const stores: Store[] = [];
  /** Several stores (separate pools, like separate instances) on one fresh schema. */
  const openShared = async (count: number, historyMaxEvents = 100_000) => {
    const schema = testSchemaName();
    schemas.push(schema);
    const opened = await Promise.all(
      Array.from({ length: count }, () =>
        openTestStore({ schema, historyMaxEvents, poolSize: 10 }).then((store) => {
          stores.push(store);
          return store;
        }),
      ),
    );
    return { schema, stores: opened };
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await Promise.all(schemas.splice(0).map(dropTestSchema));
  });

  it('gives concurrent appends to one room from two stores seqs 1..1000 with no gap or duplicate', async () => {
    const { stores: pair } = await openShared(2);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        at(pair, i % 2).append(Array.from({ length: 50 }, () => newEvent('project:hot'))),
      ),
    );
    const envelopes = results.flatMap(stored);
    // Each batch got a contiguous block: a room's writers are serialized, not interleaved.
    for (const batch of results.map(stored)) {
      expect(batch.map((e) => e.seq)).toEqual(range(at(batch, 0).seq, at(batch, 0).seq + 49));
    }
    expect(envelopes.map((e) => e.seq).sort((a, b) => a - b)).toEqual(range(1, 1000));
    const page = await at(pair, 0).since('project:hot', 0, 5000);
    expect(page.seq).toBe(1000);
    expect(page.events.map((e) => e.seq)).toEqual(range(1, 1000));
    const byId = new Map(envelopes.map((e) => [e.id, e.seq]));
    expect(page.events.every((e) => byId.get(e.id) === e.seq)).toBe(true);
  });

  it('does not deadlock when concurrent batches touch the same rooms in opposite orders', async () => {
    const { stores: pair } = await openShared(2);
    const rooms = ['project:a', 'project:b', 'project:c', 'project:d'];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => {
        const order = i % 2 === 0 ? rooms : [...rooms].reverse();
        return at(pair, i % 2).append(order.flatMap((room) => [newEvent(room), newEvent(room)]));
      }),
    );
    for (const room of rooms) {
      expect((await at(pair, 0).since(room, 0, 1000)).events.map((e) => e.seq)).toEqual(range(1, 60));
    }
  });

  it('stores an id sent concurrently through two stores once, and every sender learns its seq', async () => {
    const { stores: pair } = await openShared(2);
    const shared = Array.from({ length: 10 }, (_, i) => `dup-${i}`);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        // Different orders per batch, plus one event of its own and an in-batch repeat.
        const ids = i % 2 === 0 ? shared : [...shared].reverse();
        const batch = [...ids, `own-${i}`, at(ids, 0)].map((id) => newEvent('project:dup', { id }));
        return at(pair, i % 2).append(batch);
      }),
    );
    const all = results.flat();
    const newOnes = stored(all);
    expect(newOnes).toHaveLength(10 + 20);
    expect(newOnes.map((e) => e.seq).sort((a, b) => a - b)).toEqual(range(1, 30));
    const seqOf = new Map(newOnes.map((e) => [e.id, e.seq]));
    for (const outcome of all) {
      if (outcome.duplicate)
        expect(outcome).toMatchObject({ room: 'project:dup', seq: seqOf.get(outcome.id) });
    }
    const page = await at(pair, 1).since('project:dup', 0, 100);
    expect(page.events.map((e) => e.seq)).toEqual(range(1, 30));
    expect(new Set(page.events.map((e) => e.id)).size).toBe(30);
  });

  it('keeps history contiguous while concurrent writers prune', async () => {
    const { stores: pair } = await openShared(2, 100);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        at(pair, i % 2).append(Array.from({ length: 30 }, () => newEvent('project:p'))),
      ),
    );
    const page = await at(pair, 0).since('project:p', 0, 1000);
    expect(page).toMatchObject({ seq: 600, reset: true });
    expect(page.events.map((e) => e.seq)).toEqual(range(501, 600));
    expect((await at(pair, 1).since('project:p', 500, 1000)).reset).toBe(false);
  });

  it('creates no room for a batch whose events are all duplicates', async () => {
    const store = at((await openShared(1)).stores, 0);
    await store.append([newEvent('project:web', { id: 'once' })]);
    const [again] = await store.append([newEvent('project:other', { id: 'once' })]);
    expect(again).toEqual({ duplicate: true, id: 'once', room: 'project:web', seq: 1 });
    expect((await store.listProjects()).map((p) => p.slug)).toEqual(['web']);
  });

  it('runs migrations once when several instances open a new schema at the same moment', async () => {
    const { schema } = await openShared(4);
    const rows = await adminQuery<{ version: number }>(
      `SELECT version FROM "${schema}".schema_migrations ORDER BY version`,
    );
    expect(rows.map((r) => r.version)).toEqual(range(1, POSTGRES_MIGRATIONS.length));
  });

  it('keeps events and seq across close and reopen', async () => {
    const schema = testSchemaName();
    schemas.push(schema);
    const first = await openTestStore({ schema, historyMaxEvents: 100 });
    await first.append([newEvent('project:a'), newEvent('project:a')]);
    await first.close();
    const second = await openTestStore({ schema, historyMaxEvents: 100 });
    stores.push(second);
    expect((await second.append([newEvent('project:a')]))[0]).toMatchObject({ envelope: { seq: 3 } });
  });
});

describe('PostgreSQL store failures', () => {
  it('rejects open when the database is unreachable', async () => {
    const port = await freePort();
    await expect(
      openPostgresStore(`postgres://postgres@127.0.0.1:${port}/test`, { historyMaxEvents: 10 }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });

  it('survives its connections being killed: no crash, the next call reconnects', async () => {
    const applicationName = `opsroom_kill_${testSchemaName()}`;
    const errors: Error[] = [];
    const store = await openTestStore({
      historyMaxEvents: 10,
      applicationName,
      onConnectionError: (error) => errors.push(error),
    });
    try {
      await Promise.all([store.ping(), store.ping(), store.ping()]);
      const killed = await adminQuery(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [applicationName],
      );
      expect(killed.length).toBeGreaterThan(0);
      // Every idle connection learns of its end on its own; wait until all of them have, so
      // the next call cannot pick one the pool still believes is alive.
      await expect.poll(() => errors.length).toBeGreaterThanOrEqual(killed.length);
      await store.ping();
      const [outcome] = await store.append([newEvent('project:a')]);
      expect(outcome).toMatchObject({ envelope: { seq: 1 } });
    } finally {
      await store.close();
    }
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(
      openPostgresStore(TEST_DATABASE_URL, { historyMaxEvents: 10, schema: 'x"; DROP TABLE y; --' }),
    ).rejects.toThrow(/invalid PostgreSQL schema name/);
  });
});
