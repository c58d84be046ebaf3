/** One workflow_run delivery -> the run's new state, keeping the jobs workflow_job sent. */
import type { PayloadInputOf } from '@/lib/shared/events';
import type { WorkflowRunDelivery } from './payloads';
import type { WorkflowRun } from './run-status';

export const WORKFLOW_RUN_ACTIONS = ['requested', 'in_progress', 'completed'] as const;
export type WorkflowRunAction = (typeof WORKFLOW_RUN_ACTIONS)[number];

export type WorkflowRunMapping =
  { kind: 'ignored'; reason: string } | { kind: 'mapped'; run: PayloadInputOf<'workflow:update'> };

function isRunAction(action: string): action is WorkflowRunAction {
  return (WORKFLOW_RUN_ACTIONS as readonly string[]).includes(action);
}

/** GitHub's run statuses (requested, pending, queued, waiting, in_progress, completed) -> ours. */
function statusOf(action: WorkflowRunAction, status: string | null | undefined): WorkflowRun['status'] {
  if (action === 'completed') return 'completed';
  if (action === 'in_progress') return 'in_progress';
  switch (status) {
    case 'waiting':
    case 'in_progress':
    case 'completed':
      return status;
    default:
      return 'queued';
  }
}

export function mapWorkflowRun(
  delivery: WorkflowRunDelivery,
  current: WorkflowRun | null,
): WorkflowRunMapping {
  const { action, workflow_run: run, repository } = delivery;
  if (!isRunAction(action)) return { kind: 'ignored', reason: `workflow_run action "${action}" is not used` };
  const status = statusOf(action, run.status);
  // Out of order: a completed run is reopened only by `requested` (a re-run), never by a late in_progress.
  if (current?.status === 'completed' && status !== 'completed' && action !== 'requested') {
    return { kind: 'ignored', reason: `run ${run.id} already completed (late ${action} delivery)` };
  }
  const url = run.html_url ?? current?.url;
  return {
    kind: 'mapped',
    run: {
      runId: String(run.id),
      workflow: run.name || delivery.workflow?.name || current?.workflow || `run ${run.id}`,
      repo: repository.full_name,
      status,
      conclusion: status === 'completed' ? (run.conclusion ?? null) : null,
      jobs: current?.jobs ?? [],
      ...(url === undefined ? {} : { url }),
    },
  };
}
