/**
 * One demo project: labels it as demo data, then runs every scenario against it, wired
 * together (passing builds deploy; deploys restart services; degraded services make their
 * logs and containers noisier).
 */
import type { ProjectContext, Scenario } from './context';
import { startBenchmarks } from './benchmarks';
import { startBuilds } from './builds';
import { startContainers } from './containers';
import { startDeploys } from './deploys';
import { startServiceLogs } from './logs';
import { startQueries } from './queries';
import { startRunners } from './runners';
import { startServices } from './services';

export const DEMO_NOTICE = { level: 'info', title: 'Demo data', body: 'Simulated by npm run demo' } as const;

export function startProject(ctx: ProjectContext): Scenario {
  ctx.emit('notification', { ...DEMO_NOTICE });
  const services = startServices(ctx);
  const deploys = startDeploys(ctx, services);
  const scenarios: Scenario[] = [
    services,
    deploys,
    startBuilds(ctx, (build) => {
      if (build.branch === 'main') deploys.ship(build.version);
    }),
    startServiceLogs(ctx, services),
    startRunners(ctx),
    startContainers(ctx, services),
    startQueries(ctx),
    startBenchmarks(ctx),
  ];
  return { stop: () => scenarios.forEach((scenario) => scenario.stop()) };
}
