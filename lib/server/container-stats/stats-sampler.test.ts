import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@/tests/helpers/api';
import { cgroupV2Stats, listEntry, type CgroupV2Figures } from '@/tests/helpers/docker-examples';
import { startFakeDockerDaemon, type FakeDockerDaemon } from '@/tests/helpers/fake-docker-daemon';
import type { Principal } from '../auth/principal';
import { systemClock } from '../hub/clock';
import { createLogger } from '../logger';
import { createStatsSampler, type StatsSampler } from './stats-sampler';

interface Published {
  room: string;
  type: string;
  payload: Record<string, unknown>;
  source: string;
}

const figures = (overrides: Partial<CgroupV2Figures> = {}): CgroupV2Figures => ({
  coresBusy: 0.25,
  onlineCpus: 2,
  usage: 200_000_000,
  inactiveFile: 20_000_000,
  limit: 1_000_000_000,
  rx: [100, 20],
  tx: [50, 5],
  read: 1_000,
  write: 2_000,
  pids: 7,
  ...overrides,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const INTERVAL_MS = 100;

let daemon: FakeDockerDaemon | null = null;
let sampler: StatsSampler | null = null;

afterEach(async () => {
  await sampler?.stop();
  sampler = null;
  await daemon?.cleanup();
  daemon = null;
});

function setup(
  socketPath: string,
  options: { concurrency?: number; intervalMs?: number; dockerTimeoutMs?: number } = {},
) {
  const published: Published[] = [];
  const logLines: string[] = [];
  const rooms = new Map<string, Set<string>>();
  const logger = createLogger('info', {}, { write: (line: string) => logLines.push(line) });
  sampler = createStatsSampler({
    hub: {
      publish: (inputs: unknown[], principal: Principal) => {
        const source = principal.kind === 'system' ? `system:${principal.name}` : 'other';
        for (const input of inputs as Array<Omit<Published, 'source'>>) published.push({ ...input, source });
        return Promise.resolve([]);
      },
    },
    realtime: { io: { sockets: { adapter: { rooms } } } },
    config: { intervalMs: options.intervalMs ?? INTERVAL_MS, dockerSocket: socketPath, project: 'opsroom' },
    logger,
    clock: systemClock,
    firstWindowMs: 50,
    dockerTimeoutMs: options.dockerTimeoutMs ?? 2_000,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  });
  const subscribe = (room: string, socketId = 's1') => {
    const members = rooms.get(room) ?? new Set<string>();
    members.add(socketId);
    rooms.set(room, members);
  };
  // Socket.IO deletes a room when its last member leaves.
  const unsubscribe = (room: string) => rooms.delete(room);
  const containersIn = (room: string) =>
    published.filter((e) => e.room === room && e.type === 'docker:stats').map((e) => e.payload.container);
  const logged = (text: string) => logLines.filter((line) => line.includes(text)).length;
  return { sampler, published, rooms, subscribe, unsubscribe, containersIn, logged };
}

describe('stats sampler with a Docker daemon', () => {
  it('samples only watched projects, routes labelled containers, and stops when nobody watches', async () => {
    daemon = await startFakeDockerDaemon({
      containers: [
        {
          entry: listEntry('a1', 'api', { labels: { 'opsroom.project': 'shop' } }),
          stats: cgroupV2Stats(figures()),
        },
        { entry: listEntry('c3', 'cache'), stats: cgroupV2Stats(figures({ coresBusy: 1 })) },
        {
          entry: listEntry('o9', 'old-job', { state: 'exited', labels: { 'opsroom.project': 'shop' } }),
          stats: cgroupV2Stats(figures()),
        },
      ],
    });
    const t = setup(daemon.socketPath);
    // Rooms of other kinds and sockets' own rooms are no reason to sample.
    t.subscribe('logs:shop:api');
    t.subscribe('system');
    t.sampler.start();
    await sleep(INTERVAL_MS * 4);
    expect(daemon.requests).toEqual([]);
    expect(t.published).toEqual([]);

    t.subscribe('project:shop');
    await waitFor(() => t.containersIn('project:shop').length > 0, 5_000, 'api stats in project:shop');
    expect(t.published[0]).toEqual({
      room: 'project:shop',
      type: 'docker:stats',
      source: 'system:opsroom',
      payload: {
        container: 'api',
        cpuPercent: 25,
        memUsage: 180_000_000,
        memLimit: 1_000_000_000,
        netRx: 120,
        netTx: 55,
        blockRead: 1_000,
        blockWrite: 2_000,
        pids: 7,
      },
    });
    // Unwatched project and stopped container: never asked for.
    expect(
      daemon.requests.filter((r) => r.startsWith('/containers/c3') || r.startsWith('/containers/o9')),
    ).toEqual([]);
    expect(t.containersIn('project:opsroom')).toEqual([]);

    t.subscribe('project:opsroom');
    await waitFor(
      () => t.containersIn('project:opsroom').includes('cache'),
      5_000,
      'cache in project:opsroom',
    );
    expect(t.published.find((e) => e.payload.container === 'cache')?.payload.cpuPercent).toBe(100);
    // Docker answers, so no host or process samples.
    expect(t.containersIn('project:opsroom')).not.toContain('host');

    t.unsubscribe('project:shop');
    t.unsubscribe('project:opsroom');
    await sleep(INTERVAL_MS * 2); // a sample under way may still land
    const published = t.published.length;
    const requests = daemon.requests.length;
    await sleep(INTERVAL_MS * 5);
    expect(t.published).toHaveLength(published);
    expect(daemon.requests).toHaveLength(requests);
    expect(t.logged('sampling docker containers')).toBe(1);
  });

  it('samples a newly watched project at once, not one interval later', async () => {
    daemon = await startFakeDockerDaemon({
      containers: [
        {
          entry: listEntry('a1', 'api', { labels: { 'opsroom.project': 'shop' } }),
          stats: cgroupV2Stats(figures()),
        },
        { entry: listEntry('c3', 'cache'), stats: cgroupV2Stats(figures()) },
      ],
    });
    const t = setup(daemon.socketPath, { intervalMs: 60_000 });
    t.subscribe('project:opsroom');
    t.sampler.start();
    await waitFor(() => t.containersIn('project:opsroom').includes('cache'), 5_000, 'first sample');
    // The next regular sample is a minute away; a new watcher must not wait for it.
    t.subscribe('project:shop');
    await waitFor(() => t.containersIn('project:shop').includes('api'), 3_000, 'api sampled early');
    const published = t.published.length;
    await sleep(1_200);
    // Nothing new is watched: no further sample before the interval.
    expect(t.published).toHaveLength(published);
  });

  it('queries containers concurrently within the bound and never stacks samples', async () => {
    const ids = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
    daemon = await startFakeDockerDaemon({
      containers: ids.map((id) => ({ entry: listEntry(id, `svc-${id}`), stats: cgroupV2Stats(figures()) })),
      // Slower than the interval, as a real daemon's ~1-2 s per container is.
      statsDelayMs: 150,
    });
    const t = setup(daemon.socketPath, { concurrency: 2, intervalMs: 50 });
    t.subscribe('project:opsroom');
    t.sampler.start();
    await waitFor(() => t.containersIn('project:opsroom').length >= ids.length * 3, 10_000, 'three samples');
    await t.sampler.stop();

    expect(daemon.maxConcurrentStats()).toBe(2);
    // Each sample lists once, then asks for every container, before the next sample lists.
    const lists = daemon.requests
      .map((request, index) => (request === '/containers/json' ? index : -1))
      .filter((index) => index >= 0);
    expect(lists.length).toBeGreaterThanOrEqual(3);
    for (const [n, at] of lists.slice(0, -1).entries()) {
      const between = daemon.requests.slice(at + 1, lists[n + 1]);
      expect(between.sort()).toEqual(ids.map((id) => `/containers/${id}/stats?stream=false`).sort());
    }
  });

  it('survives the daemon going away: logs once, samples /proc, and returns to Docker', async () => {
    daemon = await startFakeDockerDaemon({
      containers: [{ entry: listEntry('c3', 'cache'), stats: cgroupV2Stats(figures()) }],
    });
    const t = setup(daemon.socketPath);
    t.subscribe('project:opsroom');
    t.sampler.start();
    await waitFor(() => t.containersIn('project:opsroom').includes('cache'), 5_000, 'docker sample');

    await daemon.stop();
    await waitFor(() => t.containersIn('project:opsroom').includes('host'), 5_000, 'host sample from /proc');
    const count = () => t.containersIn('project:opsroom').filter((c) => c === 'opsroom-server').length;
    await waitFor(() => count() >= 3, 5_000, 'several /proc samples');
    expect(t.sampler.stats().source).toBe('proc');
    expect(t.logged('docker daemon unavailable; sampling /proc until it answers')).toBe(1);

    await daemon.start();
    const before = t.containersIn('project:opsroom').length;
    await waitFor(
      () => t.containersIn('project:opsroom').slice(before).includes('cache'),
      5_000,
      'docker sample after the daemon came back',
    );
    expect(t.logged('docker daemon answers again')).toBe(1);
    expect(t.logged('docker daemon unavailable')).toBe(1);
    expect(t.sampler.stats().source).toBe('docker');
  });

  it('stops at once while a hung daemon holds a stats call, without calling it an outage', async () => {
    daemon = await startFakeDockerDaemon({
      containers: [{ entry: listEntry('c3', 'cache'), stats: cgroupV2Stats(figures()) }],
      statsDelayMs: 10 * 60_000,
    });
    // A deadline far beyond the test timeout: only stop() aborting the call can end this test.
    const t = setup(daemon.socketPath, { dockerTimeoutMs: 10 * 60_000 });
    t.subscribe('project:opsroom');
    t.sampler.start();
    await waitFor(() => daemon?.requests.includes('/containers/c3/stats?stream=false') ?? false, 5_000);
    await t.sampler.stop();
    expect(t.published).toEqual([]);
    expect(t.logged('docker daemon unavailable')).toBe(0);
  });
});

describe('stats sampler without a Docker daemon', () => {
  it('publishes host and server-process samples to the stats project while it is watched', async () => {
    const t = setup(path.join(tmpdir(), 'no-docker-here', 'docker.sock'));
    t.subscribe('project:shop');
    t.sampler.start();
    await sleep(INTERVAL_MS * 3);
    // Host stats belong to the stats project only.
    expect(t.published).toEqual([]);

    t.subscribe('project:opsroom');
    await waitFor(() => t.containersIn('project:opsroom').length >= 2, 5_000, 'host and process samples');
    expect(t.containersIn('project:opsroom').slice(0, 2)).toEqual(['host', 'opsroom-server']);
    expect(t.published.every((e) => e.source === 'system:opsroom')).toBe(true);
    expect(t.logged('no docker daemon answers; sampling host and process from /proc')).toBe(1);

    t.unsubscribe('project:opsroom');
    await sleep(INTERVAL_MS * 2);
    const published = t.published.length;
    await sleep(INTERVAL_MS * 4);
    expect(t.published).toHaveLength(published);
  });
});
