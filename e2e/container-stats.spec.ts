/**
 * Issue #6 in real Chromium: the Containers page of a project, with Opsroom pointed at a
 * loopback Docker daemon, shows that project's containers as `docker stats` would (CPU x
 * online CPUs, memory without inactive file cache) and charts their network traffic. Opening
 * the page is what starts the sampling: nothing is sampled before.
 */
import { expect, test } from '@playwright/test';
import { cgroupV2Stats, listEntry, type CgroupV2Figures } from '../tests/helpers/docker-examples';
import { startFakeDockerDaemon, type FakeDockerDaemon } from '../tests/helpers/fake-docker-daemon';
import { startOpsroom, type OpsroomProcess } from '../tests/helpers/server-process';
import { signIn } from './fixtures';

let daemon: FakeDockerDaemon;
let server: OpsroomProcess;

const figures = (coresBusy: number, usage: number): CgroupV2Figures => ({
  coresBusy,
  onlineCpus: 4,
  usage,
  inactiveFile: 10_485_760,
  limit: 2_147_483_648,
  rx: [3_000, 0],
  tx: [1_000, 0],
  read: 0,
  write: 0,
  pids: 5,
});

test.beforeAll(async () => {
  daemon = await startFakeDockerDaemon({
    containers: [
      {
        entry: listEntry('a1a1a1a1a1a1', 'shop-api', { labels: { 'opsroom.project': 'shop' } }),
        // 100 MiB + 10 MiB inactive file cache.
        stats: cgroupV2Stats(figures(0.5, 115_343_360)),
      },
      {
        entry: listEntry('b2b2b2b2b2b2', 'shop-worker', { labels: { 'opsroom.project': 'shop' } }),
        stats: cgroupV2Stats(figures(2, 536_870_912 + 10_485_760)),
      },
      { entry: listEntry('c3c3c3c3c3c3', 'redis'), stats: cgroupV2Stats(figures(0.1, 20_000_000)) },
    ],
  });
  server = await startOpsroom({
    env: { OPSROOM_DOCKER_SOCKET: daemon.socketPath, OPSROOM_STATS_INTERVAL_MS: '500' },
  });
});
test.afterAll(async () => {
  await server?.cleanup();
  await daemon?.cleanup();
});

test('the Containers page shows the project’s containers with docker-stats figures and charts', async ({
  page,
}) => {
  expect(daemon.requests.filter((r) => r.startsWith('/containers'))).toEqual([]);
  await signIn(page, server.url, '/projects/shop/containers');

  const api = page.locator('[data-testid="container-card"][data-container="shop-api"]');
  const worker = page.locator('[data-testid="container-card"][data-container="shop-worker"]');
  await expect(api).toContainText('CPU 50.0%', { timeout: 10_000 });
  await expect(api).toContainText('Mem 100 MiB / 2.0 GiB (5%)');
  await expect(api).toContainText('5 pids');
  await expect(worker).toContainText('CPU 200.0%');
  await expect(worker).toContainText('Mem 512 MiB / 2.0 GiB (25%)');
  // The unlabelled container belongs to the stats project, not to shop.
  await expect(page.locator('[data-container="redis"]')).toHaveCount(0);

  // Traffic grows between samples: the network chart is drawn next to CPU and memory.
  daemon.setContainers([
    {
      entry: listEntry('a1a1a1a1a1a1', 'shop-api', { labels: { 'opsroom.project': 'shop' } }),
      stats: cgroupV2Stats({ ...figures(0.25, 115_343_360), rx: [503_000, 0], tx: [101_000, 0] }),
    },
  ]);
  await expect(api).toContainText('CPU 25.0%', { timeout: 10_000 });
  for (const chart of ['CPU percent', 'memory', 'network']) {
    await expect(api.getByRole('img', { name: `shop-api ${chart} over time` })).toBeVisible();
  }
  await expect(api.locator('canvas').first()).toBeVisible();
});
