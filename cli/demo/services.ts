/**
 * Services: api, web, worker, postgres and redis with health checks. They start up, refresh
 * their checks now and then, occasionally one degrades (slow, lagging, memory pressure) and
 * recovers, and a production deploy restarts the app services on the new version.
 */
import type { PayloadInputOf } from '@/lib/shared/events';
import { round, seconds, type ProjectContext, type Scenario } from './context';
import type { Rng } from './random';

type Check = { name: string; status: 'healthy' | 'unhealthy' | 'starting' | 'unknown'; output?: string };

interface ServiceSpec {
  name: string;
  version: string;
  /** Whether a deploy rolls it (app services) or not (datastores). */
  app: boolean;
  healthy: (rng: Rng) => Check[];
  degraded: (rng: Rng) => { checks: Check[]; message: string };
}

const SERVICES: ServiceSpec[] = [
  {
    name: 'api',
    version: 'v2.14.0',
    app: true,
    healthy: (rng) => [
      { name: 'http', status: 'healthy', output: `GET /healthz 200 in ${rng.int(2, 9)}ms` },
      { name: 'db-pool', status: 'healthy', output: `${rng.int(4, 18)}/50 connections in use` },
    ],
    degraded: (rng) => {
      const p99 = round(rng.float(1.2, 3.5));
      return {
        message: `p99 latency ${p99}s over the 500ms objective`,
        checks: [
          {
            name: 'http',
            status: 'unhealthy',
            output: `p99 ${p99}s, ${rng.int(3, 9)}% 5xx in the last minute`,
          },
          { name: 'db-pool', status: 'healthy', output: `${rng.int(44, 50)}/50 connections in use` },
        ],
      };
    },
  },
  {
    name: 'web',
    version: 'v2.14.0',
    app: true,
    healthy: (rng) => [{ name: 'http', status: 'healthy', output: `GET / 200 in ${rng.int(9, 40)}ms` }],
    degraded: (rng) => ({
      message: 'Server-side rendering is timing out against the api',
      checks: [{ name: 'http', status: 'unhealthy', output: `GET / 504 after ${rng.int(5, 10)}s` }],
    }),
  },
  {
    name: 'worker',
    version: 'v2.14.0',
    app: true,
    healthy: (rng) => [
      { name: 'queue', status: 'healthy', output: `backlog ${rng.int(0, 12)} jobs` },
      { name: 'heartbeat', status: 'healthy', output: `last beat ${rng.int(1, 4)}s ago` },
    ],
    degraded: (rng) => {
      const backlog = rng.int(800, 4000);
      return {
        message: `Job backlog at ${backlog} and growing`,
        checks: [
          { name: 'queue', status: 'unhealthy', output: `backlog ${backlog} jobs (limit 500)` },
          { name: 'heartbeat', status: 'healthy', output: `last beat ${rng.int(1, 4)}s ago` },
        ],
      };
    },
  },
  {
    name: 'postgres',
    version: '16.4',
    app: false,
    healthy: (rng) => [
      { name: 'pg_isready', status: 'healthy', output: 'accepting connections' },
      { name: 'replication', status: 'healthy', output: `replica lag ${round(rng.float(0, 0.4))}s` },
    ],
    degraded: (rng) => {
      const lag = rng.int(12, 90);
      return {
        message: `Replica lagging ${lag}s behind the primary`,
        checks: [
          { name: 'pg_isready', status: 'healthy', output: 'accepting connections' },
          { name: 'replication', status: 'unhealthy', output: `replica lag ${lag}s (limit 5s)` },
        ],
      };
    },
  },
  {
    name: 'redis',
    version: '7.4.1',
    app: false,
    healthy: (rng) => [
      { name: 'ping', status: 'healthy', output: 'PONG' },
      { name: 'memory', status: 'healthy', output: `used ${rng.int(22, 55)}% of maxmemory` },
    ],
    degraded: (rng) => {
      const used = rng.int(91, 99);
      return {
        message: `Memory at ${used}% of maxmemory, evicting keys`,
        checks: [
          { name: 'ping', status: 'healthy', output: 'PONG' },
          {
            name: 'memory',
            status: 'unhealthy',
            output: `used ${used}% of maxmemory, ${rng.int(50, 900)} evictions/s`,
          },
        ],
      };
    },
  },
];

export const SERVICE_NAMES = SERVICES.map((s) => s.name);

export interface ServiceHealth {
  isDegraded: (service: string) => boolean;
  /** Restarts the app services on a new version (called when a production deploy finishes). */
  rollout: (version: string) => void;
}

export function startServices(ctx: ProjectContext): Scenario & ServiceHealth {
  const rng = ctx.rng.fork('services');
  const versions = new Map(SERVICES.map((s) => [s.name, s.version]));
  let degraded: { name: string; since: number } | null = null;
  const restarting = new Set<string>();

  const publish = (
    spec: ServiceSpec,
    payload: Omit<PayloadInputOf<'service:status'>, 'service' | 'version'>,
  ) => ctx.emit('service:status', { service: spec.name, version: versions.get(spec.name), ...payload });
  const healthy = (spec: ServiceSpec, message?: string) =>
    publish(spec, {
      status: 'running',
      health: { status: 'healthy', checks: spec.healthy(rng) },
      ...(message !== undefined && { message }),
    });

  // Boot: everything starts, then comes up one by one.
  for (const spec of SERVICES) {
    publish(spec, {
      status: 'starting',
      health: {
        status: 'starting',
        checks: spec.healthy(rng).map((c) => ({ name: c.name, status: 'starting' })),
      },
    });
    ctx.scheduler.after(seconds(rng.float(0.3, 2.5)), () => healthy(spec));
  }

  // Routine health refreshes.
  const cancelRefresh = ctx.scheduler.repeat(
    () => seconds(rng.float(4, 10)),
    () => {
      const spec = rng.pick(SERVICES);
      if (degraded?.name !== spec.name && !restarting.has(spec.name)) healthy(spec);
    },
  );

  // Now and then one service degrades and recovers a little later.
  const cancelIncidents = ctx.scheduler.repeat(
    () => seconds(rng.float(35, 90)),
    () => {
      if (degraded !== null) return;
      const spec = rng.pick(SERVICES);
      if (restarting.has(spec.name)) return;
      const { checks, message } = spec.degraded(rng);
      degraded = { name: spec.name, since: ctx.scheduler.now };
      publish(spec, { status: 'degraded', health: { status: 'unhealthy', checks }, message });
      ctx.emit('notification', { level: 'warning', title: `${spec.name} degraded`, body: message });
      ctx.note('warn', `${spec.name} degraded: ${message}`);
      ctx.scheduler.after(seconds(rng.float(12, 40)), () => {
        if (degraded?.name !== spec.name) return; // a rollout already replaced it
        const lasted = Math.round((ctx.scheduler.now - degraded.since) / 1000);
        degraded = null;
        healthy(spec, `Recovered after ${lasted}s`);
        ctx.note('ok', `${spec.name} recovered after ${lasted}s`);
      });
    },
  );

  return {
    isDegraded: (service) => degraded?.name === service,
    rollout: (version) => {
      SERVICES.filter((s) => s.app).forEach((spec, index) => {
        ctx.scheduler.after(seconds(index * 1.5), () => {
          restarting.add(spec.name);
          publish(spec, {
            status: 'restarting',
            health: { status: 'starting' },
            message: `Rolling out ${version}`,
          });
          ctx.scheduler.after(seconds(rng.float(1, 3)), () => {
            versions.set(spec.name, version);
            restarting.delete(spec.name);
            if (degraded?.name === spec.name) degraded = null;
            healthy(spec, `Now running ${version}`);
          });
        });
      });
    },
    stop: () => {
      cancelRefresh();
      cancelIncidents();
    },
  };
}
