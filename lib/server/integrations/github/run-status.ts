/**
 * A workflow run's status and conclusion worked out from its jobs, for runs Opsroom learns
 * about through workflow_job deliveries (a repository may send only those).
 */
import type { WorkflowUpdatePayload } from '@/lib/shared/events';

export type WorkflowRun = WorkflowUpdatePayload;
export type WorkflowRunJob = NonNullable<WorkflowRun['jobs']>[number];
type RunState = Pick<WorkflowRun, 'status' | 'conclusion'>;

const FAILED = new Set(['failure', 'timed_out', 'startup_failure']);

/** failure beats cancelled beats action_required beats success (skipped/neutral count as success). */
export function conclusionOfJobs(jobs: readonly WorkflowRunJob[]): string {
  const conclusions = jobs.map((job) => job.conclusion ?? '');
  if (conclusions.some((c) => FAILED.has(c))) return 'failure';
  if (conclusions.includes('cancelled')) return 'cancelled';
  if (conclusions.includes('action_required')) return 'action_required';
  return 'success';
}

/**
 * All jobs completed: the run is completed (a conclusion already set, e.g. by workflow_run,
 * is kept). Some job started or finished while others wait: in progress. Otherwise the
 * earliest state any job is in. Later jobs of the run (`needs:`) reopen a run completed this
 * way, which is what a jobs-only view can know.
 */
export function runStateFromJobs(jobs: readonly WorkflowRunJob[], current: RunState | null): RunState {
  const statuses = new Set(jobs.map((job) => job.status));
  if (jobs.length > 0 && statuses.size === 1 && statuses.has('completed')) {
    const kept = current?.status === 'completed' ? current.conclusion : null;
    return { status: 'completed', conclusion: kept ?? conclusionOfJobs(jobs) };
  }
  if (statuses.has('in_progress') || statuses.has('completed'))
    return { status: 'in_progress', conclusion: null };
  if (statuses.has('waiting')) return { status: 'waiting', conclusion: null };
  return { status: 'queued', conclusion: null };
}
