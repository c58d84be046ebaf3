import { describe, expect, it } from 'vitest';
import { dockerStatsSchema } from '@/lib/shared/events';
import {
  CONTAINER_LIST_EXAMPLE,
  CONTAINER_STATS_EXAMPLE,
  cgroupV2Stats,
  listEntry,
} from '@/tests/helpers/docker-examples';
import { containerProject } from './container-project';
import { containerStatsSchema, containerSummarySchema } from './docker-api';
import { containerName, cpuPercent, dockerStatsPayload, memoryUsage } from './docker-stats';

const parseStats = (body: unknown) => containerStatsSchema.parse(body);

describe('docker:stats from a Docker stats response', () => {
  it("computes the documented example's figures the way `docker stats` shows them", () => {
    const payload = dockerStatsPayload('boring_feynman', parseStats(CONTAINER_STATS_EXAMPLE));
    expect(payload).toEqual({
      container: 'boring_feynman',
      // 121359 ns of container CPU over 7.3e14 ns of host CPU: well under 0.01 %.
      cpuPercent: 0,
      // cgroup v1: usage - total_inactive_file (0 in the example).
      memUsage: 6537216,
      memLimit: 67108864,
      netRx: 5338 + 4641,
      netTx: 648 + 690,
      // blkio_stats is {} in the example: no IO yet.
      blockRead: 0,
      blockWrite: 0,
      pids: 3,
    });
    expect(dockerStatsSchema.safeParse(payload).success).toBe(true);
  });

  it('computes a cgroup v2 sample: CPU x online CPUs, memory without inactive file cache', () => {
    const stats = cgroupV2Stats({
      coresBusy: 0.5,
      onlineCpus: 2,
      usage: 300_000_000,
      inactiveFile: 50_000_000,
      limit: 1_073_741_824,
      rx: [1_000, 234],
      tx: [500, 6],
      read: 4_096,
      write: 8_192,
      pids: 12,
    });
    expect(dockerStatsPayload('api', parseStats(stats))).toEqual({
      container: 'api',
      cpuPercent: 50,
      memUsage: 250_000_000,
      memLimit: 1_073_741_824,
      netRx: 1_234,
      netTx: 506,
      blockRead: 4_096,
      blockWrite: 8_192,
      pids: 12,
    });
  });

  it('puts a busy multi-core container above 100 %, like the CLI', () => {
    const stats = parseStats(
      cgroupV2Stats({
        coresBusy: 3,
        onlineCpus: 4,
        usage: 1,
        inactiveFile: 0,
        limit: 2,
        rx: [0, 0],
        tx: [0, 0],
        read: 0,
        write: 0,
        pids: 1,
      }),
    );
    expect(cpuPercent(stats)).toBe(300);
  });

  it('reports 0 % CPU without a previous cycle and counts percpu entries on old daemons', () => {
    const withoutPrevious = parseStats({ ...CONTAINER_STATS_EXAMPLE, precpu_stats: {} });
    // A zeroed precpu gives a huge delta on both sides; the ratio stays tiny, never NaN.
    expect(Number.isFinite(cpuPercent(withoutPrevious))).toBe(true);
    expect(cpuPercent(parseStats({ cpu_stats: {}, precpu_stats: {} }))).toBe(0);

    const oldDaemon = structuredClone(CONTAINER_STATS_EXAMPLE) as Record<string, unknown>;
    const cpu = (c: unknown) => c as { online_cpus?: number; system_cpu_usage: number };
    delete cpu(oldDaemon.cpu_stats).online_cpus;
    cpu(oldDaemon.precpu_stats).system_cpu_usage = cpu(oldDaemon.cpu_stats).system_cpu_usage - 1_213_590;
    // 121359 / 1213590 = 10 % of the host; four percpu entries = four CPUs.
    expect(cpuPercent(parseStats(oldDaemon))).toBe(40);
  });

  it('subtracts inactive file cache only when it is below usage', () => {
    expect(memoryUsage({ usage: 100, stats: { total_inactive_file: 30 } })).toBe(70);
    expect(memoryUsage({ usage: 100, stats: { inactive_file: 40 } })).toBe(60);
    expect(memoryUsage({ usage: 100, stats: { total_inactive_file: 200, inactive_file: 10 } })).toBe(90);
    expect(memoryUsage({ usage: 100, stats: { inactive_file: 100 } })).toBe(100);
    expect(memoryUsage({})).toBe(0);
  });

  it('leaves out network and pids when the daemon does', () => {
    const stats = parseStats({
      ...CONTAINER_STATS_EXAMPLE,
      networks: undefined,
      pids_stats: {},
      blkio_stats: { io_service_bytes_recursive: null },
    });
    const payload = dockerStatsPayload('isolated', stats);
    expect(payload).not.toHaveProperty('netRx');
    expect(payload).not.toHaveProperty('pids');
    expect(payload).toMatchObject({ blockRead: 0, blockWrite: 0 });
  });

  it('rejects a response whose counters are not numbers', () => {
    expect(
      containerStatsSchema.safeParse({ cpu_stats: { cpu_usage: { total_usage: 'lots' } } }).success,
    ).toBe(false);
    expect(containerStatsSchema.safeParse({ memory_stats: { usage: -1 } }).success).toBe(false);
  });
});

describe('containers from the documented list', () => {
  it('names a container by its first name without the slash, else its short id', () => {
    const [example] = CONTAINER_LIST_EXAMPLE;
    const summary = containerSummarySchema.parse(example);
    expect(containerName(summary)).toBe('boring_feynman');
    expect(containerName({ Id: '4cb07b47f9fb8c3a1d2e', Names: ['/web', '/app/web'] })).toBe('web');
    expect(containerName({ Id: '4cb07b47f9fb8c3a1d2e', Names: [] })).toBe('4cb07b47f9fb');
    expect(containerName({ Id: '4cb07b47f9fb8c3a1d2e', Names: null })).toBe('4cb07b47f9fb');
  });

  it('sends a container to its opsroom.project label, or to the default project', () => {
    const labelled = containerSummarySchema.parse(
      listEntry('a1', 'api', { labels: { 'opsroom.project': 'shop' } }),
    );
    expect(containerProject(labelled, 'opsroom')).toEqual({ project: 'shop' });
    const plain = containerSummarySchema.parse(listEntry('b2', 'cache'));
    expect(containerProject(plain, 'opsroom')).toEqual({ project: 'opsroom' });
    const bad = containerSummarySchema.parse(
      listEntry('c3', 'x', { labels: { 'opsroom.project': 'Not A Slug' } }),
    );
    expect(containerProject(bad, 'opsroom')).toEqual({ project: 'opsroom', invalidLabel: 'Not A Slug' });
  });
});
