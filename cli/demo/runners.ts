/**
 * Self-hosted CI runners and the workflow runs they execute: a linux-x64 pool of 3-5
 * runners that autoscales (scale up when jobs queue with every runner busy, down after a
 * runner idles a while) plus one macOS runner. Runs of a few workflows arrive now and
 * then; their jobs wait for a runner with the right labels, step through, and report.
 */
import type { PayloadInputOf } from '@/lib/shared/events';
import { seconds, type ProjectContext, type Scenario } from './context';

type Pool = 'linux-x64' | 'macos-arm64';
const POOLS: Record<Pool, { labels: string[]; os: string; short: string }> = {
  'linux-x64': { labels: ['self-hosted', 'linux', 'x64', 'docker'], os: 'Linux', short: 'linux' },
  'macos-arm64': { labels: ['self-hosted', 'macOS', 'ARM64'], os: 'macOS', short: 'mac' },
};
const LINUX_MIN = 3;
const LINUX_MAX = 5;
const IDLE_BEFORE_SCALE_DOWN_MS = 45_000;
/** How long a job waits for a runner before the pool grows. */
const QUEUED_BEFORE_SCALE_UP_MS = 5_000;

const WORKFLOWS: Array<{ name: string; pool: Pool; jobs: Array<[string, string]>; weight: number }> = [
  {
    name: 'CI',
    pool: 'linux-x64',
    weight: 4,
    jobs: [
      ['lint', 'npm run lint'],
      ['test (node 20)', 'npm test'],
      ['test (node 22)', 'npm test'],
    ],
  },
  {
    name: 'E2E',
    pool: 'linux-x64',
    weight: 2,
    jobs: [
      ['playwright (1/2)', 'npx playwright test --shard=1/2'],
      ['playwright (2/2)', 'npx playwright test --shard=2/2'],
    ],
  },
  {
    name: 'CodeQL',
    pool: 'linux-x64',
    weight: 1,
    jobs: [['analyze (javascript)', 'Perform CodeQL Analysis']],
  },
  { name: 'Desktop app', pool: 'macos-arm64', weight: 1, jobs: [['package (macOS)', 'npm run package:mac']] },
];

type JobStep = { name: string; status: string; conclusion?: string | null; number: number };

interface Runner {
  runnerId: string;
  name: string;
  pool: Pool;
  status: 'online' | 'idle' | 'busy' | 'offline';
  idleSince: number;
  job: Job | null;
}

interface Job {
  jobId: string;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion?: 'success' | 'failure' | 'cancelled';
  runnerName?: string;
  steps: JobStep[];
  fails: boolean;
  queuedAt: number;
  run: Run;
}

interface Run {
  runId: string;
  workflow: string;
  pool: Pool;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion?: 'success' | 'failure' | 'cancelled';
  jobs: Job[];
}

export function startRunners(ctx: ProjectContext): Scenario {
  const rng = ctx.rng.fork('runners');
  const short = ctx.slug.replace(/^demo-/, '');
  let runnerCounter = rng.int(10, 60);
  let runCounter = rng.int(9_100_000_000, 9_900_000_000);
  let jobCounter = runCounter * 3;
  const runners: Runner[] = [];
  const queue: Job[] = [];
  const runs = new Set<Run>();
  let booting = false;

  const publishRunner = (runner: Runner): void => {
    const pool = POOLS[runner.pool];
    ctx.emit('runner:status', {
      runnerId: runner.runnerId,
      name: runner.name,
      status: runner.status,
      labels: pool.labels,
      os: pool.os,
      currentJob: runner.job
        ? { jobId: runner.job.jobId, workflow: runner.job.run.workflow, repo: ctx.repo }
        : null,
    });
  };
  const publishRun = (run: Run): void => {
    const payload: PayloadInputOf<'workflow:update'> = {
      runId: run.runId,
      workflow: run.workflow,
      repo: ctx.repo,
      status: run.status,
      url: `https://github.example/${ctx.repo}/actions/runs/${run.runId}`,
      jobs: run.jobs.map((job) => ({
        jobId: job.jobId,
        name: job.name,
        status: job.status,
        ...(job.conclusion !== undefined && { conclusion: job.conclusion }),
        ...(job.runnerName !== undefined && { runnerName: job.runnerName }),
        steps: job.steps.map((step) => ({ ...step })),
      })),
    };
    if (run.conclusion !== undefined) payload.conclusion = run.conclusion;
    ctx.emit('workflow:update', payload);
  };

  /** Brings up a runner: an offline slot of the pool comes back, or a new slot is added. */
  const addRunner = (pool: Pool, status: Runner['status']): Runner => {
    let runner = runners.find((r) => r.pool === pool && r.status === 'offline');
    if (runner === undefined) {
      runnerCounter += 1;
      const index = runners.filter((r) => r.pool === pool).length + 1;
      runner = {
        runnerId: String(runnerCounter),
        name: `${short}-${POOLS[pool].short}-${index}`,
        pool,
        status,
        idleSince: ctx.scheduler.now,
        job: null,
      };
      runners.push(runner);
    }
    runner.status = status;
    runner.idleSince = ctx.scheduler.now;
    publishRunner(runner);
    return runner;
  };
  const active = (pool: Pool) => runners.filter((r) => r.pool === pool && r.status !== 'offline');

  const finishJob = (job: Job, runner: Runner): void => {
    job.status = 'completed';
    job.conclusion = job.fails ? 'failure' : 'success';
    runner.job = null;
    runner.status = 'idle';
    runner.idleSince = ctx.scheduler.now;
    publishRunner(runner);
    const run = job.run;
    if (run.jobs.every((j) => j.status === 'completed')) {
      run.status = 'completed';
      run.conclusion = run.jobs.some((j) => j.conclusion === 'failure') ? 'failure' : 'success';
      runs.delete(run);
      if (run.conclusion === 'failure') {
        const failed = run.jobs.filter((j) => j.conclusion === 'failure').map((j) => j.name);
        ctx.note('warn', `workflow ${run.workflow} #${run.runId} failed (${failed.join(', ')})`);
      }
    }
    publishRun(run);
    dispatch();
  };

  const runJob = (job: Job, runner: Runner): void => {
    job.status = 'in_progress';
    job.runnerName = runner.name;
    runner.status = 'busy';
    runner.job = job;
    job.run.status = 'in_progress';
    publishRunner(runner);
    publishRun(job.run);
    let at = 0;
    job.steps.forEach((step, index) => {
      const duration = rng.float(0.8, index === 4 ? 6 : 2.5);
      ctx.scheduler.after(seconds(at), () => {
        if (job.status !== 'in_progress') return;
        step.status = 'in_progress';
      });
      at += duration;
      ctx.scheduler.after(seconds(at), () => {
        if (job.status !== 'in_progress') return;
        const failedBefore = job.steps.some((s) => s.conclusion === 'failure');
        step.status = 'completed';
        step.conclusion =
          failedBefore && step.name !== 'Complete job'
            ? 'skipped'
            : job.fails && index === 4
              ? 'failure'
              : 'success';
        if (index === job.steps.length - 1) finishJob(job, runner);
        else publishRun(job.run);
      });
    });
  };

  const dispatch = (): void => {
    for (const job of [...queue]) {
      const runner = runners.find((r) => r.pool === job.run.pool && r.status === 'idle');
      if (runner === undefined) continue;
      queue.splice(queue.indexOf(job), 1);
      runJob(job, runner);
    }
  };

  const newRun = (): void => {
    const total = WORKFLOWS.reduce((sum, w) => sum + w.weight, 0);
    let roll = rng.float(0, total);
    const workflow = WORKFLOWS.find((w) => (roll -= w.weight) < 0) ?? WORKFLOWS[0];
    if (workflow === undefined) return;
    runCounter += rng.int(1, 40);
    const run: Run = {
      runId: String(runCounter),
      workflow: workflow.name,
      pool: workflow.pool,
      status: 'queued',
      jobs: [],
    };
    run.jobs = workflow.jobs.map(([name, main]) => {
      jobCounter += 1;
      return {
        jobId: String(jobCounter),
        name,
        status: 'queued',
        fails: rng.chance(0.1),
        queuedAt: ctx.scheduler.now,
        run,
        steps: ['Set up job', 'Checkout', 'Setup Node.js', 'npm ci', main, 'Complete job'].map(
          (stepName, i) => ({
            name: stepName,
            status: 'queued',
            number: i + 1,
          }),
        ),
      };
    });
    runs.add(run);
    queue.push(...run.jobs);
    publishRun(run);
    dispatch();
  };

  const autoscale = (): void => {
    const linux = active('linux-x64');
    const waiting = queue.filter((j) => j.run.pool === 'linux-x64').length;
    const waitedLong = queue.some(
      (j) => j.run.pool === 'linux-x64' && ctx.scheduler.now - j.queuedAt >= QUEUED_BEFORE_SCALE_UP_MS,
    );
    const idle = linux.filter((r) => r.status === 'idle');
    if (!booting && waitedLong && idle.length === 0 && linux.length < LINUX_MAX) {
      booting = true;
      ctx.emit('scale', {
        pool: 'linux-x64',
        direction: 'up',
        from: linux.length,
        to: linux.length + 1,
        reason: `${waiting} job${waiting > 1 ? 's' : ''} queued with all ${linux.length} runners busy`,
      });
      ctx.note('info', `runner pool linux-x64 scaling up ${linux.length} → ${linux.length + 1}`);
      const runner = addRunner('linux-x64', 'online');
      ctx.scheduler.after(seconds(rng.float(2, 4)), () => {
        booting = false;
        runner.status = 'idle';
        runner.idleSince = ctx.scheduler.now;
        publishRunner(runner);
        dispatch();
      });
      return;
    }
    const spare = idle.find((r) => ctx.scheduler.now - r.idleSince >= IDLE_BEFORE_SCALE_DOWN_MS);
    if (!booting && waiting === 0 && spare !== undefined && linux.length > LINUX_MIN) {
      ctx.emit('scale', {
        pool: 'linux-x64',
        direction: 'down',
        from: linux.length,
        to: linux.length - 1,
        reason: `${spare.name} idle for ${Math.round((ctx.scheduler.now - spare.idleSince) / 1000)}s`,
      });
      ctx.note('info', `runner pool linux-x64 scaling down ${linux.length} → ${linux.length - 1}`);
      spare.status = 'offline';
      publishRunner(spare);
    }
  };

  for (let i = 0; i < LINUX_MIN; i++) addRunner('linux-x64', 'idle');
  addRunner('macos-arm64', 'idle');
  const cancels = [
    ctx.scheduler.after(seconds(rng.float(0.5, 2)), newRun),
    ctx.scheduler.repeat(() => seconds(rng.float(5, 16)), newRun),
    ctx.scheduler.repeat(() => seconds(3), autoscale),
  ];

  return {
    stop: () => {
      cancels.forEach((cancel) => cancel());
      for (const run of runs) {
        for (const job of run.jobs) {
          if (job.status === 'completed') continue;
          job.status = 'completed';
          job.conclusion = 'cancelled';
        }
        run.status = 'completed';
        run.conclusion = 'cancelled';
        publishRun(run);
      }
      runs.clear();
      queue.length = 0;
      for (const runner of runners) {
        if (runner.status !== 'busy' && runner.status !== 'online') continue;
        runner.status = 'idle';
        runner.job = null;
        publishRunner(runner);
      }
    },
  };
}
