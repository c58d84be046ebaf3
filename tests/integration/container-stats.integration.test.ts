/**
 * Container stats end to end: a real Opsroom process pointed (OPSROOM_DOCKER_SOCKET) at a
 * loopback Docker daemon on a unix socket. Nothing is sampled or stored while nobody watches;
 * a read-only subscriber of a project receives docker:stats for the containers mapped to it
 * (opsroom.project label, else OPSROOM_STATS_PROJECT), and sampling stops when it leaves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import { createToken, history, login, rawSubscriber, waitFor } from '../helpers/api';
import { cgroupV2Stats, listEntry, type CgroupV2Figures } from '../helpers/docker-examples';
import { startFakeDockerDaemon, type FakeDockerDaemon } from '../helpers/fake-docker-daemon';
import { startOpsroom, type OpsroomProcess } from '../helpers/server-process';

const INTERVAL_MS = 500;

const figures = (coresBusy: number, usage: number): CgroupV2Figures => ({
  coresBusy,
  onlineCpus: 4,
  usage,
  inactiveFile: 10_000_000,
  limit: 2_147_483_648,
  rx: [3_000, 0],
  tx: [1_000, 0],
  read: 4_096,
  write: 0,
  pids: 5,
});

const dockerStatsOf = (events: Envelope[]) => events.filter((e) => e.type === 'docker:stats');
const containersOf = (events: Envelope[]) =>
  [...new Set(dockerStatsOf(events).map((e) => e.payload.container))].sort();

describe('container stats from a Docker daemon', () => {
  let daemon: FakeDockerDaemon;
  let server: OpsroomProcess;
  let readToken: string;
  let adminToken: string;

  beforeAll(async () => {
    daemon = await startFakeDockerDaemon({
      containers: [
        {
          entry: listEntry('a1a1a1a1a1a1', 'shop-api', { labels: { 'opsroom.project': 'shop' } }),
          stats: cgroupV2Stats(figures(0.5, 110_000_000)),
        },
        {
          entry: listEntry('b2b2b2b2b2b2', 'shop-worker', { labels: { 'opsroom.project': 'shop' } }),
          stats: cgroupV2Stats(figures(2, 510_000_000)),
        },
        { entry: listEntry('c3c3c3c3c3c3', 'redis'), stats: cgroupV2Stats(figures(0.1, 60_000_000)) },
        {
          entry: listEntry('d4d4d4d4d4d4', 'migrate', {
            state: 'exited',
            labels: { 'opsroom.project': 'shop' },
          }),
          stats: cgroupV2Stats(figures(0, 1)),
        },
      ],
      // A real daemon answers stream=false after one collection cycle.
      statsDelayMs: 100,
    });
    server = await startOpsroom({
      env: { OPSROOM_DOCKER_SOCKET: daemon.socketPath, OPSROOM_STATS_INTERVAL_MS: String(INTERVAL_MS) },
    });
    const cookie = await login(server.url);
    readToken = await createToken(server.url, cookie, { name: 'viewer', scopes: ['read'] });
    adminToken = await createToken(server.url, cookie, { name: 'checker' });
  });
  afterAll(async () => {
    await server?.cleanup();
    await daemon?.cleanup();
  });

  it('samples nothing and stores nothing while nobody is subscribed', async () => {
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS * 4));
    expect(daemon.requests.filter((r) => r.startsWith('/containers'))).toEqual([]);
    for (const room of ['project:shop', 'project:opsroom']) {
      const { json } = await history(server.url, adminToken, room);
      expect(dockerStatsOf(json.events)).toEqual([]);
    }
  });

  it('sends docker:stats of each project its own containers while someone watches, then stops', async () => {
    const viewer = rawSubscriber(server.url, readToken);
    try {
      await viewer.ready;
      expect((await viewer.subscribe([{ room: 'project:shop' }])).ok).toBe(true);
      await viewer.waitFor(() => containersOf(viewer.received()).length === 2, 10_000);
      expect(containersOf(viewer.received())).toEqual(['shop-api', 'shop-worker']);
      const worker = dockerStatsOf(viewer.received()).find((e) => e.payload.container === 'shop-worker');
      expect(worker).toMatchObject({
        room: 'project:shop',
        source: 'system:opsroom',
        // Two of four cores busy = 200 %, as `docker stats` shows it.
        payload: {
          cpuPercent: 200,
          memUsage: 500_000_000,
          memLimit: 2_147_483_648,
          netRx: 3_000,
          netTx: 1_000,
          blockRead: 4_096,
          blockWrite: 0,
          pids: 5,
        },
      });

      // Unlabelled containers go to the stats project, only once it is watched too.
      expect(dockerStatsOf(viewer.received()).some((e) => e.room === 'project:opsroom')).toBe(false);
      expect((await viewer.subscribe([{ room: 'project:opsroom' }])).ok).toBe(true);
      await viewer.waitFor(
        () => dockerStatsOf(viewer.received()).some((e) => e.room === 'project:opsroom'),
        10_000,
      );
      const opsroom = dockerStatsOf(viewer.received()).filter((e) => e.room === 'project:opsroom');
      expect(containersOf(opsroom)).toEqual(['redis']);
      expect(opsroom[0]?.payload).toMatchObject({ cpuPercent: 10, memUsage: 50_000_000 });
      // The stopped container was never sampled.
      expect(daemon.requests.some((r) => r.startsWith('/containers/d4d4d4d4d4d4'))).toBe(false);

      const ack = await viewer.socket
        .timeout(5_000)
        .emitWithAck('unsubscribe', { rooms: ['project:shop', 'project:opsroom'] });
      expect(ack.ok).toBe(true);
    } finally {
      viewer.close();
    }

    // A sample under way when the viewer left may still be stored; after that, nothing.
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS * 2));
    const seqs = async () =>
      Promise.all(
        ['project:shop', 'project:opsroom'].map(async (room) => {
          const { json } = await history(server.url, adminToken, room);
          return dockerStatsOf(json.events).length;
        }),
      );
    const before = await seqs();
    const requests = daemon.requests.length;
    expect(before[0]).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS * 4));
    expect(await seqs()).toEqual(before);
    expect(daemon.requests).toHaveLength(requests);
  });

  it('keeps the server up and serving when the daemon disappears', async () => {
    await daemon.stop();
    const viewer = rawSubscriber(server.url, readToken);
    try {
      await viewer.ready;
      expect((await viewer.subscribe([{ room: 'project:opsroom' }])).ok).toBe(true);
      // No daemon: host and process from /proc instead.
      await viewer.waitFor(() => containersOf(viewer.received()).includes('host'), 10_000);
      await waitFor(
        () => server.output().includes('docker daemon unavailable; sampling /proc until it answers'),
        5_000,
        'the fallback log line',
      );
    } finally {
      viewer.close();
    }
    expect(server.child.exitCode).toBeNull();
  });
});
