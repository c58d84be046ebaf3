/**
 * The store registry with the real realtime client against a real server: snapshot at
 * once, backfilled timelines, live updates, and shared subscriptions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealtimeClient, type RealtimeClient } from '@/lib/client';
import type { Envelope } from '@/lib/shared/envelope';
import { adminToken, history, postEvents, waitFor } from '@/tests/helpers/api';
import { startOpsroom, type OpsroomProcess } from '@/tests/helpers/server-process';
import { createStoreRegistry, type HistoryFetcher } from './store-registry';

describe('store registry (real client, real server)', () => {
  let server: OpsroomProcess;
  let token: string;
  let client: RealtimeClient;
  let fetchHistory: HistoryFetcher;

  beforeAll(async () => {
    server = await startOpsroom({ env: { OPSROOM_SELF_REPORT: 'off' } });
    token = await adminToken(server.url);
    client = createRealtimeClient({ url: server.url, token });
    fetchHistory = async (room, since, limit) =>
      (await history(server.url, token, room, since, limit)).json.events as Envelope[];
    await waitFor(() => client.getState().status === 'connected');
  });
  afterAll(async () => {
    client?.close();
    await server?.cleanup();
  });

  it('fills a project store from the snapshot, backfills step timelines, then follows live events', async () => {
    const room = 'project:registry';
    const steps = ['install', 'lint', 'test', 'build'];
    await postEvents(server.url, token, {
      events: steps.map((step, i) => ({
        room,
        type: 'build:progress',
        payload: { buildId: '7', status: 'in-progress', progress: i * 25, step },
      })),
    });
    const registry = createStoreRegistry(client, fetchHistory);
    const handle = registry.project('registry');
    const release = handle.retain();
    await waitFor(() => handle.store.getState().loaded);
    expect(handle.store.getState().builds['7']?.latest.payload.step).toBe('build');
    await waitFor(
      () => (handle.store.getState().builds['7']?.steps.length ?? 0) === 4,
      5000,
      'backfilled steps',
    );
    expect(handle.store.getState().builds['7']?.steps.map((s) => s.step)).toEqual(steps);

    await postEvents(server.url, token, {
      room,
      type: 'build:progress',
      payload: { buildId: '7', status: 'complete', progress: 100, step: 'package' },
    });
    await waitFor(() => handle.store.getState().builds['7']?.latest.payload.status === 'complete');
    expect(handle.store.getState().builds['7']?.steps.map((s) => s.step)).toEqual([...steps, 'package']);
    release();
  });

  it('shares one store and survives a StrictMode-style retain/release/retain', async () => {
    const registry = createStoreRegistry(client, fetchHistory);
    const a = registry.project('shared');
    expect(registry.project('shared')).toBe(a);
    const first = a.retain();
    first(); // StrictMode: unmount at once...
    const second = a.retain(); // ...and mount again
    const third = a.retain();
    await postEvents(server.url, token, {
      room: 'project:shared',
      type: 'service:status',
      payload: { service: 'db', status: 'running' },
    });
    await waitFor(() => a.store.getState().services.db !== undefined);
    second();
    third();
  });

  it('routes live notifications into the notification store, but not snapshot or backfill ones', async () => {
    const room = 'project:notify';
    await postEvents(server.url, token, {
      room,
      type: 'notification',
      payload: { level: 'info', title: 'before' },
    });
    const registry = createStoreRegistry(client, fetchHistory);
    const release = registry.project('notify').retain();
    await waitFor(
      () => registry.project('notify').store.getState().notifications.length === 1,
      5000,
      'backfilled notification',
    );
    expect(registry.notifications.getState().toasts).toEqual([]);
    await postEvents(server.url, token, {
      room,
      type: 'notification',
      payload: { level: 'error', title: 'deploy failed' },
    });
    await waitFor(() => registry.notifications.getState().toasts.length === 1);
    expect(registry.notifications.getState().toasts[0]).toMatchObject({
      project: 'notify',
      payload: { title: 'deploy failed' },
    });
    release();
  });
});
