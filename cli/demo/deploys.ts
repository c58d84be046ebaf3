/**
 * Deploys: every passing build goes to staging, then production. About one production
 * deploy in six fails its health check and is rolled back; a successful one restarts the
 * app services on the new version. A build that passes while a deploy runs waits its turn
 * (only the newest waiting version is kept).
 */
import { seconds, type ProjectContext, type Scenario } from './context';
import type { ServiceHealth } from './services';

const STEPS = ['pull image', 'migrate database', 'rolling update', 'health check'] as const;
type Environment = 'staging' | 'production';

interface Deploy {
  deployId: string;
  environment: Environment;
  version: string;
  stepIndex: number;
  progress: number;
}

export interface Deploys extends Scenario {
  /** Ships a version that just passed its build. */
  ship: (version: string) => void;
}

export function startDeploys(ctx: ProjectContext, services: ServiceHealth): Deploys {
  const rng = ctx.rng.fork('deploys');
  let counter = rng.int(100, 900);
  let live = 'v2.14.0';
  let current: Deploy | null = null;
  let waiting: string | null = null;

  const publish = (
    deploy: Deploy,
    status: 'queued' | 'in-progress' | 'complete' | 'failed' | 'rolled-back' | 'cancelled',
    message?: string,
  ) =>
    ctx.emit('deploy:progress', {
      deployId: deploy.deployId,
      environment: deploy.environment,
      status,
      progress: deploy.progress,
      step: status === 'queued' ? 'queued' : (STEPS[deploy.stepIndex] ?? 'health check'),
      currentStep: status === 'queued' ? 0 : deploy.stepIndex + 1,
      totalSteps: STEPS.length,
      version: deploy.version,
      ...(message !== undefined && { message }),
    });

  const finish = (): void => {
    current = null;
    if (waiting !== null) {
      const version = waiting;
      waiting = null;
      ctx.scheduler.after(seconds(rng.float(1, 3)), () => run(version, 'staging'));
    }
  };

  const run = (version: string, environment: Environment): void => {
    counter += 1;
    const deploy: Deploy = { deployId: `dep-${counter}`, environment, version, stepIndex: 0, progress: 0 };
    current = deploy;
    const rollBack = environment === 'production' && rng.chance(1 / 6);
    publish(deploy, 'queued', `${version} to ${environment}`);
    let at = rng.float(0.5, 1.5);
    STEPS.forEach((_, stepIndex) => {
      const duration = rng.float(1.5, 3.5);
      const updates = 2;
      for (let part = 0; part < updates; part++) {
        ctx.scheduler.after(seconds(at + (duration * part) / updates), () => {
          if (current !== deploy) return;
          deploy.stepIndex = stepIndex;
          deploy.progress = Math.round(((stepIndex + part / updates) / STEPS.length) * 100);
          if (rollBack && stepIndex === STEPS.length - 1 && part === 1) {
            const errorRate = rng.float(4, 12).toFixed(1);
            publish(
              deploy,
              'rolled-back',
              `Health check failed (error rate ${errorRate}% > 2%); rolled back to ${live}`,
            );
            ctx.emit('notification', {
              level: 'error',
              title: `Deploy ${version} rolled back`,
              body: `production health check failed with ${errorRate}% errors; ${live} is serving again`,
            });
            ctx.note('error', `deploy ${version} to production rolled back (error rate ${errorRate}%)`);
            finish();
            return;
          }
          publish(deploy, 'in-progress');
        });
      }
      at += duration;
    });
    ctx.scheduler.after(seconds(at), () => {
      if (current !== deploy) return;
      deploy.stepIndex = STEPS.length - 1;
      deploy.progress = 100;
      const message = `${version} is live on ${environment}`;
      publish(deploy, 'complete', message);
      ctx.note('ok', `deploy ${version} to ${environment} done`);
      if (environment === 'staging') {
        ctx.scheduler.after(seconds(rng.float(1, 3)), () => {
          if (current === deploy) run(version, 'production');
        });
        return;
      }
      live = version;
      services.rollout(version);
      ctx.emit('notification', { level: 'success', title: `Deployed ${version}`, body: message });
      finish();
    });
  };

  return {
    ship: (version) => {
      if (current === null) run(version, 'staging');
      else waiting = version;
    },
    stop: () => {
      const deploy = current;
      current = null;
      waiting = null;
      if (deploy !== null && deploy.progress < 100)
        publish(deploy, 'cancelled', 'Cancelled: the demo stopped');
    },
  };
}
