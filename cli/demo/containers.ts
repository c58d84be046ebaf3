/**
 * Containers: docker:stats every 2 simulated seconds for the api, web, worker and postgres
 * containers. CPU is a mean-reverting random walk (hotter while its service is degraded),
 * memory drifts under its limit (the worker saw-tooths with garbage collection), and the
 * network and block I/O counters only ever grow.
 */
import { round, type ProjectContext, type Scenario } from './context';
import type { ServiceHealth } from './services';

const MiB = 1024 * 1024;

interface ContainerSpec {
  service: string;
  cpuBase: number;
  memLimit: number;
  memBase: number;
  /** Bytes per second in and out, on average. */
  netRate: [number, number];
  pids: number;
}

const CONTAINERS: ContainerSpec[] = [
  { service: 'api', cpuBase: 18, memLimit: 1024 * MiB, memBase: 0.45, netRate: [220_000, 640_000], pids: 23 },
  { service: 'web', cpuBase: 9, memLimit: 512 * MiB, memBase: 0.55, netRate: [90_000, 900_000], pids: 14 },
  {
    service: 'worker',
    cpuBase: 26,
    memLimit: 1024 * MiB,
    memBase: 0.35,
    netRate: [40_000, 60_000],
    pids: 11,
  },
  {
    service: 'postgres',
    cpuBase: 12,
    memLimit: 2048 * MiB,
    memBase: 0.62,
    netRate: [300_000, 420_000],
    pids: 31,
  },
];

export const STATS_INTERVAL_MS = 2000;

export function startContainers(ctx: ProjectContext, health: ServiceHealth): Scenario {
  const rng = ctx.rng.fork('containers');
  const state = CONTAINERS.map((spec) => ({
    spec,
    name: `${ctx.slug}-${spec.service}-1`,
    cpu: spec.cpuBase * rng.float(0.7, 1.3),
    mem: spec.memBase * rng.float(0.9, 1.1),
    netRx: rng.int(5, 500) * MiB,
    netTx: rng.int(5, 500) * MiB,
    blockRead: rng.int(50, 900) * MiB,
    blockWrite: rng.int(20, 400) * MiB,
  }));
  const dt = STATS_INTERVAL_MS / 1000;

  const sample = (): void => {
    for (const c of state) {
      const hot = health.isDegraded(c.spec.service) ? 3.2 : 1;
      const target = c.spec.cpuBase * hot;
      c.cpu = Math.min(
        100 * (hot > 1 ? 2 : 1),
        Math.max(0.2, c.cpu + (target - c.cpu) * 0.3 + rng.normal() * target * 0.15),
      );
      if (c.spec.service === 'worker' && c.mem > 0.8) c.mem = c.spec.memBase * rng.float(0.9, 1.05);
      else
        c.mem = Math.min(
          0.95,
          Math.max(
            0.1,
            c.mem +
              (c.spec.memBase - c.mem) * 0.05 +
              rng.normal() * 0.01 +
              (c.spec.service === 'worker' ? 0.02 : 0),
          ),
        );
      const load = c.cpu / c.spec.cpuBase;
      c.netRx += Math.round(c.spec.netRate[0] * dt * load * rng.float(0.6, 1.4));
      c.netTx += Math.round(c.spec.netRate[1] * dt * load * rng.float(0.6, 1.4));
      c.blockRead += Math.round(rng.float(0, 2) * MiB * (c.spec.service === 'postgres' ? 4 : 0.2));
      c.blockWrite += Math.round(rng.float(0, 1.5) * MiB * (c.spec.service === 'postgres' ? 3 : 0.1));
      ctx.emit('docker:stats', {
        container: c.name,
        cpuPercent: round(c.cpu, 2),
        memUsage: Math.round(c.mem * c.spec.memLimit),
        memLimit: c.spec.memLimit,
        netRx: c.netRx,
        netTx: c.netTx,
        blockRead: c.blockRead,
        blockWrite: c.blockWrite,
        pids: c.spec.pids + rng.int(0, 4),
      });
    }
  };

  sample();
  const cancel = ctx.scheduler.repeat(() => STATS_INTERVAL_MS, sample);
  return { stop: cancel };
}
