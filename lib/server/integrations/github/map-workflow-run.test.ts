import { describe, expect, it } from 'vitest';
import { githubFixture } from '@/tests/helpers/github-webhooks';
import { workflowUpdateSchema } from '@/lib/shared/events';
import { mapWorkflowRun } from './map-workflow-run';
import { workflowRunDeliverySchema, type WorkflowRunDelivery } from './payloads';
import type { WorkflowRun } from './run-status';

const example = (name: string): WorkflowRunDelivery =>
  workflowRunDeliverySchema.parse(JSON.parse(githubFixture(`workflow_run.${name}`).toString('utf8')));

function apply(delivery: WorkflowRunDelivery, current: WorkflowRun | null = null): WorkflowRun {
  const mapped = mapWorkflowRun(delivery, current);
  if (mapped.kind !== 'mapped') throw new Error(`ignored: ${mapped.reason}`);
  return workflowUpdateSchema.parse(mapped.run);
}

describe('workflow_run mapping (GitHub example payloads)', () => {
  it('a requested run is queued, named after its workflow when the run has no name', () => {
    expect(apply(example('requested'))).toEqual({
      runId: '289782451',
      workflow: 'test',
      repo: 'octo-org/octo-repo',
      status: 'queued',
      conclusion: null,
      jobs: [],
      url: 'https://github.com/octo-org/octo-repo/actions/runs/289782451',
    });
  });

  it('a completed run has its conclusion and keeps the jobs workflow_job reported', () => {
    const jobs = [
      { jobId: '7', name: 'build', status: 'completed', conclusion: 'success', runnerName: 'r1', steps: [] },
    ];
    const current = { ...apply(example('requested')), status: 'in_progress' as const, jobs };
    expect(apply(example('completed'), current)).toMatchObject({
      status: 'completed',
      conclusion: 'success',
      jobs,
    });
  });

  it('a run that needs approval is completed with action_required', () => {
    expect(apply(example('requested.with-conclusion'))).toMatchObject({
      status: 'completed',
      conclusion: 'action_required',
    });
  });

  it('ignores a late in_progress after completion and unknown actions; a re-run (requested) reopens', () => {
    const done = apply(example('completed'));
    expect(mapWorkflowRun({ ...example('completed'), action: 'in_progress' }, done)).toMatchObject({
      kind: 'ignored',
    });
    expect(mapWorkflowRun({ ...example('requested'), action: 'archived' }, null)).toMatchObject({
      kind: 'ignored',
    });
    expect(apply(example('requested'), done).status).toBe('queued');
  });
});
