/**
 * The in-process publisher over a real hub and a real SQLite file: typed helpers store what
 * the SDK's builders build, as the system principal unless told otherwise, and invalid or
 * forbidden events are refused with the hub's coded errors, storing nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import type { TokenPrincipal } from '../auth/principal';
import { createLogger } from '../logger';
import { createMetrics } from '../metrics';
import { openSqliteStore } from '../store/sqlite-store';
import type { Store } from '../store/store';
import { DEFAULT_EVENT_LIMITS } from '@/lib/shared/validate-event';
import { systemClock } from './clock';
import { createHub, type Hub } from './hub';
import { createInProcessPublisher } from './in-process-publisher';

describe('in-process publisher', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'opsroom-in-process-'));
  const emitted: Envelope[] = [];
  let store: Store;
  let hub: Hub;

  beforeAll(() => {
    store = openSqliteStore(path.join(dir, 'opsroom.db'), { historyMaxEvents: 1000 });
    hub = createHub({
      store,
      clock: systemClock,
      logger: createLogger('silent'),
      metrics: createMetrics({ defaultMetrics: false }),
      limits: DEFAULT_EVENT_LIMITS,
      batch: { maxEvents: 10, maxWaitMs: 0 },
      emit: (_room, batches) => {
        emitted.push(...batches.flat());
        return 1;
      },
    });
  });
  afterAll(async () => {
    hub.flush();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores typed helper events as Opsroom itself, in the rooms the builders choose', async () => {
    const publisher = createInProcessPublisher({ hub });
    const status = await publisher.serviceStatus('inproc', { service: 'api', status: 'running' });
    const log = await publisher.log('inproc', 'api', [{ text: 'started', level: 'info' }]);
    expect(status).toMatchObject({ room: 'project:inproc', seq: 1 });
    expect(log).toMatchObject({ room: 'logs:inproc:api', seq: 1 });
    const { events } = await store.since('project:inproc', 0, 10);
    expect(events).toEqual([
      expect.objectContaining({ id: status.id, type: 'service:status', source: 'system:opsroom' }),
    ]);
    hub.flush();
    expect(emitted.map((e) => e.id)).toEqual(expect.arrayContaining([status.id, log.id]));
  });

  it('publishes several events in one transaction: one invalid event stores none', async () => {
    const publisher = createInProcessPublisher({ hub });
    const valid = {
      room: 'project:atomic',
      type: 'scale',
      payload: { pool: 'web', direction: 'up', from: 1, to: 2 },
    };
    await expect(
      publisher.publishAll([valid, { room: 'project:atomic', type: 'scale', payload: { pool: 'web' } }]),
    ).rejects.toMatchObject({ code: 'INVALID_EVENT' });
    expect((await store.since('project:atomic', 0, 10)).events).toEqual([]);
    expect((await publisher.publishAll([valid, valid])).map((a) => a.seq)).toEqual([1, 2]);
  });

  it("publishes as a given principal, within that principal's rights", async () => {
    const ci: TokenPrincipal = {
      kind: 'token',
      token: { id: 'tok1', name: 'ci', projects: ['web'], scopes: ['publish'], hash: 'h' },
    };
    const publisher = createInProcessPublisher({ hub, principal: ci, via: 'http' });
    const accepted = await publisher.buildProgress('web', {
      buildId: 7,
      status: 'queued',
      progress: 0,
      step: 'queued',
    });
    const [stored] = (await store.since('project:web', 0, 10)).events;
    expect(stored).toMatchObject({ id: accepted.id, source: 'token:ci', payload: { buildId: '7' } });
    await expect(publisher.notification('u1', { level: 'info', title: 'hi' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
