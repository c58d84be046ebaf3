/**
 * A Docker stats response as the `docker:stats` payload, computed the way `docker stats`
 * does (docker/cli cli/command/container/stats_helpers.go), so the dashboard and the CLI
 * show the same figures for the same container.
 */
import type { PayloadInputOf } from '@/lib/shared/events';
import type { ContainerStats, ContainerSummary } from './docker-api';

export type DockerStatsInput = PayloadInputOf<'docker:stats'>;

/** The longest container name the docker:stats schema accepts. */
const MAX_NAME_LENGTH = 256;

/**
 * CPU % between precpu_stats and cpu_stats: the container's share of all host CPU time in the
 * interval, times online CPUs, so one busy core is 100 and a 4-core host tops out at 400.
 */
export function cpuPercent(stats: Pick<ContainerStats, 'cpu_stats' | 'precpu_stats'>): number {
  const current = stats.cpu_stats;
  const previous = stats.precpu_stats;
  const cpuDelta = current.cpu_usage.total_usage - previous.cpu_usage.total_usage;
  const systemDelta = (current.system_cpu_usage ?? 0) - (previous.system_cpu_usage ?? 0);
  // Daemons before API 1.27 have no online_cpus; the CLI counts percpu entries instead.
  const cpus = current.online_cpus || (current.cpu_usage.percpu_usage?.length ?? 0);
  // No previous cycle yet (precpu all zero) or a counter reset: 0, as the CLI shows.
  if (systemDelta <= 0 || cpuDelta <= 0) return 0;
  return round2((cpuDelta / systemDelta) * cpus * 100);
}

/**
 * Memory in use without reclaimable page cache: usage minus total_inactive_file (cgroup v1)
 * or inactive_file (cgroup v2). The API docs still give `usage - cache` for v1, the formula
 * of Docker 19.03 and older; the CLI changed it because active cache is not reclaimable
 * (https://github.com/moby/moby/issues/40727).
 */
export function memoryUsage(memory: ContainerStats['memory_stats']): number {
  const usage = memory.usage ?? 0;
  const v1Inactive = memory.stats?.total_inactive_file;
  if (v1Inactive !== undefined && v1Inactive < usage) return usage - v1Inactive;
  const v2Inactive = memory.stats?.inactive_file ?? 0;
  return v2Inactive < usage ? usage - v2Inactive : usage;
}

/** Cumulative bytes received and sent, summed over the container's interfaces. */
export function networkTotals(networks: ContainerStats['networks']): { netRx: number; netTx: number } | null {
  if (networks === undefined || networks === null) return null;
  let netRx = 0;
  let netTx = 0;
  for (const network of Object.values(networks)) {
    netRx += network.rx_bytes;
    netTx += network.tx_bytes;
  }
  return { netRx, netTx };
}

/** Cumulative block IO bytes; ops are `Read`/`Write` on cgroup v1 and `read`/`write` on v2. */
export function blockIoTotals(
  blkio: ContainerStats['blkio_stats'],
): { blockRead: number; blockWrite: number } | null {
  if (blkio === undefined || blkio === null) return null;
  let blockRead = 0;
  let blockWrite = 0;
  for (const entry of blkio.io_service_bytes_recursive ?? []) {
    const op = entry.op.charAt(0).toLowerCase();
    if (op === 'r') blockRead += entry.value;
    else if (op === 'w') blockWrite += entry.value;
  }
  return { blockRead, blockWrite };
}

export function dockerStatsPayload(container: string, stats: ContainerStats): DockerStatsInput {
  const payload: DockerStatsInput = {
    container,
    cpuPercent: cpuPercent(stats),
    memUsage: memoryUsage(stats.memory_stats),
    memLimit: stats.memory_stats.limit ?? 0,
  };
  const network = networkTotals(stats.networks);
  if (network !== null) Object.assign(payload, network);
  const blockIo = blockIoTotals(stats.blkio_stats);
  if (blockIo !== null) Object.assign(payload, blockIo);
  const pids = stats.pids_stats?.current;
  if (pids !== undefined) payload.pids = pids;
  return payload;
}

/** What `docker ps` shows: the first name without its leading slash (else the short id). */
export function containerName(container: Pick<ContainerSummary, 'Id' | 'Names'>): string {
  const first = container.Names?.find((name) => name.length > 0);
  const name = first === undefined ? container.Id.slice(0, 12) : first.replace(/^\//, '');
  return name.slice(0, MAX_NAME_LENGTH);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
