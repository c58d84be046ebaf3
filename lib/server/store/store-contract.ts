/**
 * The behaviour every Store implementation must have, as one vitest suite. Each
 * implementation's test file calls describeStoreContract with a factory for a fresh,
 * empty store (SQLite: a temp file; PostgreSQL: its own schema).
 */
import { describe, expect, it, afterEach } from 'vitest';
import { ulid } from 'ulid';
import { WEBHOOK_DELIVERY_RETENTION_MS, type NewEvent, type Store, type StoreOptions } from './store';

export type StoreFactory = (options: StoreOptions) => Promise<Store>;

export function newEvent(room: string, overrides: Partial<NewEvent> = {}): NewEvent {
  const project =
    room.startsWith('project:') || room.startsWith('logs:') ? (room.split(':')[1] ?? null) : null;
  return {
    id: ulid(),
    room,
    type: 'build:progress',
    ts: new Date().toISOString(),
    source: 'test',
    payload: { buildId: 'b1', status: 'in-progress', progress: 10, step: 'compile' },
    stateKey: 'b1',
    project,
    ...overrides,
  };
}

export function describeStoreContract(name: string, factory: StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    const open: Store[] = [];
    const make = async (options: Partial<StoreOptions> = {}) => {
      const store = await factory({ historyMaxEvents: 10_000, ...options });
      open.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((store) => store.close()));
    });

    it('assigns per-room seq 1, 2, 3 with no gap, independently per room', async () => {
      const store = await make();
      const a = await store.append([newEvent('project:a'), newEvent('project:a'), newEvent('project:b')]);
      const b = await store.append([newEvent('project:a')]);
      const seqs = [...a, ...b].map((o) => (o.duplicate ? -1 : [o.envelope.room, o.envelope.seq]));
      expect(seqs).toEqual([
        ['project:a', 1],
        ['project:a', 2],
        ['project:b', 1],
        ['project:a', 3],
      ]);
    });

    it('stores a large batch mixing new, stored and repeated ids, in input order', async () => {
      const store = await make({ historyMaxEvents: 250 });
      await store.append([newEvent('project:a', { id: 'old-1' }), newEvent('project:a', { id: 'old-2' })]);
      // 300 events: more than one multi-row statement's worth, two ids stored before, one repeat.
      const batch = Array.from({ length: 300 }, (_, index) =>
        newEvent(index % 2 === 0 ? 'project:a' : 'project:b', { id: `big-${index}` }),
      );
      batch[10] = newEvent('project:a', { id: 'old-2' });
      batch[200] = newEvent('project:a', { id: 'old-1' });
      batch[299] = newEvent('project:b', { id: 'big-1' });
      const outcomes = await store.append(batch);
      expect(outcomes[10]).toEqual({ duplicate: true, id: 'old-2', room: 'project:a', seq: 2 });
      expect(outcomes[200]).toEqual({ duplicate: true, id: 'old-1', room: 'project:a', seq: 1 });
      expect(outcomes[299]).toEqual({ duplicate: true, id: 'big-1', room: 'project:b', seq: 1 });
      const stored = outcomes.flatMap((o) => (o.duplicate ? [] : [o.envelope]));
      expect(stored).toHaveLength(297);
      const seqsOf = (room: string) => stored.filter((e) => e.room === room).map((e) => e.seq);
      expect(seqsOf('project:a')).toEqual(Array.from({ length: 148 }, (_, i) => i + 3));
      expect(seqsOf('project:b')).toEqual(Array.from({ length: 149 }, (_, i) => i + 1));
      const page = await store.since('project:a', 0, 1000);
      expect(page.seq).toBe(150);
      expect(page.events.map((e) => e.id)).toEqual([
        ...['old-1', 'old-2'],
        ...stored.filter((e) => e.room === 'project:a').map((e) => e.id),
      ]);
      // Only the build's latest progress is its snapshot, even though the batch updated it often.
      const { snapshot } = await store.snapshot('project:b');
      expect(snapshot.map((e) => e.id)).toEqual([stored.filter((e) => e.room === 'project:b').at(-1)?.id]);
    });

    it('stores a repeated id once and answers with the original seq', async () => {
      const store = await make();
      const first = newEvent('project:a', { id: 'deploy-42' });
      const [one] = await store.append([first]);
      const [two] = await store.append([{ ...first, payload: { changed: true } }]);
      expect(one).toMatchObject({ duplicate: false, envelope: { id: 'deploy-42', seq: 1 } });
      expect(two).toEqual({ duplicate: true, id: 'deploy-42', room: 'project:a', seq: 1 });
      const page = await store.since('project:a', 0, 100);
      expect(page.events).toHaveLength(1);
      expect(page.events[0]?.payload).toEqual(first.payload);
      // A repeat inside one batch is also a duplicate, and the seq does not skip.
      const batch = await store.append([
        newEvent('project:a', { id: 'x' }),
        newEvent('project:a', { id: 'x' }),
        newEvent('project:a'),
      ]);
      expect(batch.map((o) => o.duplicate)).toEqual([false, true, false]);
      expect((await store.since('project:a', 0, 100)).events.map((e) => e.seq)).toEqual([1, 2, 3]);
    });

    it('forgets ids after the idempotency window once their event is pruned', async () => {
      let clock = Date.parse('2026-01-01T00:00:00Z');
      const store = await make({ historyMaxEvents: 2, idempotencyWindowMs: 1000, now: () => clock });
      await store.append([
        newEvent('project:a', { id: 'old' }),
        newEvent('project:a'),
        newEvent('project:a'),
      ]);
      clock += 120_000; // past the window and past the sweep interval
      const [again] = await store.append([newEvent('project:a', { id: 'old' })]);
      expect(again).toMatchObject({ duplicate: false, envelope: { seq: 4 } });
    });

    it('returns events after since in order, with limit and latest seq', async () => {
      const store = await make();
      await store.append(Array.from({ length: 50 }, () => newEvent('project:a')));
      const page = await store.since('project:a', 20, 10);
      expect(page.seq).toBe(50);
      expect(page.reset).toBe(false);
      expect(page.events.map((e) => e.seq)).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
      expect((await store.since('project:a', 50, 10)).events).toEqual([]);
      expect(await store.since('project:none', 0, 10)).toEqual({ seq: 0, events: [], reset: false });
    });

    it('prunes beyond historyMaxEvents and reports reset for a since older than history', async () => {
      const store = await make({ historyMaxEvents: 100 });
      for (let i = 0; i < 5; i++) await store.append(Array.from({ length: 50 }, () => newEvent('project:a')));
      const kept = await store.since('project:a', 0, 1000);
      expect(kept.reset).toBe(true);
      expect(kept.events.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => 151 + i));
      expect((await store.since('project:a', 150, 1000)).reset).toBe(false);
      expect((await store.since('project:a', 149, 1000)).reset).toBe(true);
      // A client ahead of the room (database replaced) must rebuild too.
      expect((await store.since('project:a', 999, 1000)).reset).toBe(true);
    });

    it('keeps the latest envelope per (type, state key) as the snapshot, surviving pruning', async () => {
      const store = await make({ historyMaxEvents: 3 });
      await store.append([
        newEvent('project:a', {
          payload: { buildId: 'b1', status: 'queued', progress: 0, step: 'q' },
          stateKey: 'b1',
        }),
        newEvent('project:a', {
          payload: { buildId: 'b2', status: 'queued', progress: 0, step: 'q' },
          stateKey: 'b2',
        }),
        newEvent('project:a', {
          type: 'service:status',
          payload: { service: 'api', status: 'running' },
          stateKey: 'api',
        }),
        newEvent('project:a', {
          type: 'notification',
          payload: { level: 'info', title: 'hi' },
          stateKey: null,
        }),
        newEvent('project:a', {
          payload: { buildId: 'b1', status: 'complete', progress: 100, step: 'done' },
          stateKey: 'b1',
        }),
        newEvent('project:a', {
          type: 'scale',
          payload: { pool: 'p', direction: 'up', from: 1, to: 2 },
          stateKey: null,
        }),
        newEvent('project:a', {
          type: 'scale',
          payload: { pool: 'p', direction: 'up', from: 2, to: 3 },
          stateKey: null,
        }),
      ]);
      const { seq, snapshot } = await store.snapshot('project:a');
      expect(seq).toBe(7);
      expect(snapshot.map((e) => [e.type, e.seq])).toEqual([
        ['build:progress', 2],
        ['service:status', 3],
        ['build:progress', 5],
      ]);
      expect(snapshot[2]?.payload).toMatchObject({ buildId: 'b1', status: 'complete' });
    });

    it('lists projects with last activity and counts, across project and logs rooms', async () => {
      const store = await make();
      await store.append([newEvent('project:web', { ts: '2026-01-01T00:00:00.000Z' })]);
      await store.append([
        newEvent('logs:web:build', { ts: '2026-01-02T00:00:00.000Z', type: 'logs:stream', stateKey: null }),
      ]);
      await store.append([newEvent('project:api', { ts: '2026-01-03T00:00:00.000Z' })]);
      await store.append([newEvent('user:u1', { type: 'notification', stateKey: null })]);
      expect(await store.listProjects()).toEqual([
        { slug: 'api', lastEventAt: '2026-01-03T00:00:00.000Z', eventCount: 1 },
        { slug: 'web', lastEventAt: '2026-01-02T00:00:00.000Z', eventCount: 2 },
      ]);
    });

    it('lists the log streams of a project, newest activity first', async () => {
      const store = await make();
      const log = (room: string, ts: string) => newEvent(room, { type: 'logs:stream', stateKey: null, ts });
      await store.append([
        log('logs:web:api', '2026-01-01T00:00:00.000Z'),
        log('logs:web:build-1', '2026-01-02T00:00:00.000Z'),
      ]);
      await store.append([
        log('logs:web:api', '2026-01-03T00:00:00.000Z'),
        log('logs:webby:x', '2026-01-04T00:00:00.000Z'),
        log('logs:a_b:x', '2026-01-04T00:00:00.000Z'),
      ]);
      expect(await store.listLogStreams('a.b')).toEqual([]);
      expect(await store.listLogStreams('web')).toEqual([
        { stream: 'api', lastEventAt: '2026-01-03T00:00:00.000Z', eventCount: 2 },
        { stream: 'build-1', lastEventAt: '2026-01-02T00:00:00.000Z', eventCount: 1 },
      ]);
    });

    it('remembers handled webhook deliveries per source for the retention, then forgets them', async () => {
      let clock = Date.parse('2026-01-01T00:00:00Z');
      const store = await make({ now: () => clock });
      expect(await store.hasWebhookDelivery('github', 'guid-1')).toBe(false);
      await store.recordWebhookDelivery('github', 'guid-1');
      await store.recordWebhookDelivery('github', 'guid-1');
      expect(await store.hasWebhookDelivery('github', 'guid-1')).toBe(true);
      expect(await store.hasWebhookDelivery('gitlab', 'guid-1')).toBe(false);
      expect(await store.hasWebhookDelivery('github', 'guid-2')).toBe(false);
      clock += WEBHOOK_DELIVERY_RETENTION_MS - 1;
      expect(await store.hasWebhookDelivery('github', 'guid-1')).toBe(true);
      clock += 2;
      expect(await store.hasWebhookDelivery('github', 'guid-1')).toBe(false);
      // Recording another one sweeps the expired row; recording guid-1 again starts it afresh.
      await store.recordWebhookDelivery('github', 'guid-2');
      await store.recordWebhookDelivery('github', 'guid-1');
      expect(await store.hasWebhookDelivery('github', 'guid-1')).toBe(true);
    });

    it('keeps an audit log, newest first, paged by id', async () => {
      const store = await make();
      for (let i = 1; i <= 5; i++) {
        await store.appendAudit({
          actor: 'user:u1',
          action: 'token.create',
          target: `t${i}`,
          ip: '127.0.0.1',
          details: { n: i },
        });
      }
      await store.appendAudit({
        actor: 'mallory@example.com',
        action: 'login.failed',
        target: null,
        ip: null,
        details: null,
      });
      const page = await store.listAudit({ limit: 3 });
      expect(page.map((e) => [e.action, e.target])).toEqual([
        ['login.failed', null],
        ['token.create', 't5'],
        ['token.create', 't4'],
      ]);
      expect(page[1]).toMatchObject({ actor: 'user:u1', ip: '127.0.0.1', details: { n: 5 } });
      const older = await store.listAudit({ limit: 10, before: page[2]?.id ?? 0 });
      expect(older.map((e) => e.target)).toEqual(['t3', 't2', 't1']);
    });

    it('manages users, sessions and tokens', async () => {
      const store = await make();
      expect(await store.countUsers()).toBe(0);
      const user = await store.createUser({
        id: 'u1',
        email: 'Ann@Example.com',
        name: 'Ann',
        role: 'admin',
        passwordHash: 'h',
      });
      expect(user).toMatchObject({ id: 'u1', role: 'admin' });
      await expect(
        store.createUser({
          id: 'u2',
          email: 'ann@example.com',
          name: 'A',
          role: 'viewer',
          passwordHash: 'h',
        }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      expect((await store.getUserByEmail('ann@example.com'))?.id).toBe('u1');
      expect(await store.updateUser('u1', { role: 'operator' })).toMatchObject({ role: 'operator' });
      expect(await store.updateUser('nope', { role: 'operator' })).toBeNull();

      await store.createSession({ idHash: 's1', userId: 'u1', expiresAt: '2030-01-01T00:00:00.000Z' });
      expect(await store.getSession('s1')).toEqual({
        idHash: 's1',
        userId: 'u1',
        expiresAt: '2030-01-01T00:00:00.000Z',
      });
      await store.deleteSession('s1');
      expect(await store.getSession('s1')).toBeNull();

      const token = await store.createToken({
        id: 't1',
        name: 'ci',
        tokenHash: 'th',
        projects: ['web'],
        scopes: ['publish'],
      });
      expect(token).toMatchObject({ id: 't1', projects: ['web'], scopes: ['publish'], revokedAt: null });
      expect((await store.getTokenByHash('th'))?.id).toBe('t1');
      expect(await store.revokeToken('t1')).toBe(true);
      expect(await store.revokeToken('nope')).toBe(false);
      expect((await store.listTokens())[0]?.revokedAt).not.toBeNull();

      await store.createSession({ idHash: 's2', userId: 'u1', expiresAt: '2030-01-01T00:00:00.000Z' });
      expect(await store.deleteUser('u1')).toBe(true);
      expect(await store.getSession('s2')).toBeNull();
      expect(await store.listUsers()).toEqual([]);
    });
  });
}
