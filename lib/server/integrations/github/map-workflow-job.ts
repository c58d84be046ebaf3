/**
 * One workflow_job delivery -> the run's new state (its whole jobs[] with this job merged in)
 * and, when a runner picked the job up or finished it, that runner's status.
 */
import type { PayloadInputOf, RunnerStatusPayload } from '@/lib/shared/events';
import type { WorkflowJobDelivery } from './payloads';
import { runStateFromJobs, type WorkflowRun, type WorkflowRunJob } from './run-status';

export const WORKFLOW_JOB_ACTIONS = ['queued', 'waiting', 'in_progress', 'completed'] as const;
export type WorkflowJobAction = (typeof WORKFLOW_JOB_ACTIONS)[number];

/** GitHub caps a workflow run's matrix at 256 jobs; the catalogue allows 500 per run. */
export const MAX_JOBS_PER_RUN = 500;

export type WorkflowJobMapping =
  | { kind: 'ignored'; reason: string }
  | {
      kind: 'mapped';
      run: PayloadInputOf<'workflow:update'>;
      runner: PayloadInputOf<'runner:status'> | null;
    };

export interface CurrentState {
  /** The run's latest workflow:update payload in the project's snapshot. */
  run: WorkflowRun | null;
  /** The latest runner:status of the runner this job names. */
  runner: RunnerStatusPayload | null;
}

function isJobAction(action: string): action is WorkflowJobAction {
  return (WORKFLOW_JOB_ACTIONS as readonly string[]).includes(action);
}

/** The run's page on GitHub (or GHES), from the repository's page. */
export function runUrl(repositoryHtmlUrl: string | undefined, runId: number): string | undefined {
  return repositoryHtmlUrl === undefined ? undefined : `${repositoryHtmlUrl}/actions/runs/${runId}`;
}

export function runnerIdOf(job: WorkflowJobDelivery['workflow_job']): string | null {
  if (job.runner_id !== undefined && job.runner_id !== null) return String(job.runner_id);
  return job.runner_name ? job.runner_name : null;
}

export function mapWorkflowJob(delivery: WorkflowJobDelivery, current: CurrentState): WorkflowJobMapping {
  const { action, workflow_job: job, repository } = delivery;
  if (!isJobAction(action)) return { kind: 'ignored', reason: `workflow_job action "${action}" is not used` };
  const jobId = String(job.id);
  const previous = current.run?.jobs?.find((known) => known.jobId === jobId);
  // GitHub does not promise delivery order; a job that completed stays completed.
  if (previous?.status === 'completed' && action !== 'completed') {
    return { kind: 'ignored', reason: `job ${jobId} already completed (late ${action} delivery)` };
  }

  // Queued and waiting jobs have no runner yet (some example payloads name one anyway).
  const onRunner = action === 'in_progress' || action === 'completed';
  const runnerName = onRunner && job.runner_name ? job.runner_name : null;
  const merged: WorkflowRunJob = {
    jobId,
    name: job.name || `job ${jobId}`,
    status: action,
    conclusion: action === 'completed' ? (job.conclusion ?? null) : null,
    runnerName,
    steps: job.steps.map((step, index) => ({
      name: step.name || `step ${step.number ?? index + 1}`,
      status: step.status,
      conclusion: step.conclusion ?? null,
      ...(step.number === undefined ? {} : { number: step.number }),
    })),
  };
  // Replaced in place so the jobs keep the order GitHub first reported them in.
  const known = current.run?.jobs ?? [];
  const jobs =
    previous === undefined
      ? [...known, merged]
      : known.map((other) => (other.jobId === jobId ? merged : other));
  const kept = jobs.slice(-MAX_JOBS_PER_RUN);

  const workflow = job.workflow_name || current.run?.workflow || `run ${job.run_id}`;
  const repo = repository.full_name;
  const state = runStateFromJobs(kept, current.run);
  const url = current.run?.url ?? runUrl(repository.html_url, job.run_id);
  const run: PayloadInputOf<'workflow:update'> = {
    runId: String(job.run_id),
    workflow,
    repo,
    status: state.status,
    conclusion: state.conclusion ?? null,
    jobs: kept,
    ...(url === undefined ? {} : { url }),
  };

  const runnerId = runnerIdOf(job);
  let runner: PayloadInputOf<'runner:status'> | null = null;
  if (runnerName !== null && runnerId !== null) {
    const busyElsewhere =
      current.runner?.status === 'busy' &&
      current.runner.currentJob !== undefined &&
      current.runner.currentJob !== null &&
      current.runner.currentJob.jobId !== jobId;
    // A late "completed" must not mark idle a runner that already started its next job.
    if (!(action === 'completed' && busyElsewhere)) {
      runner = {
        runnerId,
        name: runnerName,
        status: action === 'in_progress' ? 'busy' : 'idle',
        labels: job.labels,
        currentJob: action === 'in_progress' ? { jobId, workflow, repo } : null,
      };
    }
  }
  return { kind: 'mapped', run, runner };
}
