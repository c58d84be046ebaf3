import { describe, expect, it } from 'vitest';
import { githubFixture } from '@/tests/helpers/github-webhooks';
import { runnerStatusSchema, workflowUpdateSchema } from '@/lib/shared/events';
import { mapWorkflowJob, type CurrentState } from './map-workflow-job';
import { workflowJobDeliverySchema, type WorkflowJobDelivery } from './payloads';

const example = (name: string): WorkflowJobDelivery =>
  workflowJobDeliverySchema.parse(JSON.parse(githubFixture(`workflow_job.${name}`).toString('utf8')));
const NONE: CurrentState = { run: null, runner: null };

/** Maps and returns the run as the store would keep it (validated by the catalogue). */
function apply(delivery: WorkflowJobDelivery, current: CurrentState = NONE) {
  const mapped = mapWorkflowJob(delivery, current);
  if (mapped.kind !== 'mapped') throw new Error(`ignored: ${mapped.reason}`);
  const runner = mapped.runner === null ? null : runnerStatusSchema.parse(mapped.runner);
  return { run: workflowUpdateSchema.parse(mapped.run), runner };
}

describe('workflow_job mapping (GitHub example payloads)', () => {
  it('a queued job creates its run with the workflow name and repository, and no runner event', () => {
    const { run, runner } = apply(example('queued'));
    expect(run).toEqual({
      runId: '2202229078',
      workflow: 'CodeQL',
      repo: 'Codertocat/Hello-World',
      status: 'queued',
      conclusion: null,
      url: 'https://github.com/Codertocat/Hello-World/actions/runs/2202229078',
      jobs: [
        {
          jobId: '289782451',
          name: 'update',
          status: 'queued',
          conclusion: null,
          runnerName: null,
          steps: [],
        },
      ],
    });
    expect(runner).toBeNull();
  });

  it('a waiting job (deployment protection) is waiting, with no runner', () => {
    const { run, runner } = apply(example('waiting'));
    expect(run).toMatchObject({ runId: '4747967848', workflow: 'Env Test', status: 'waiting' });
    expect(runner).toBeNull();
  });

  it('a started job makes its runner busy with it, and the run in progress', () => {
    const queued = apply(example('queued'));
    const { run, runner } = apply(example('in_progress'), { run: queued.run, runner: null });
    expect(runner).toEqual({
      runnerId: '5',
      name: 'GitHub Actions 5',
      status: 'busy',
      labels: ['ubuntu-latest'],
      currentJob: { jobId: '289782451', workflow: 'CodeQL', repo: 'Codertocat/Hello-World' },
    });
    expect(run.status).toBe('in_progress');
    expect(run.jobs).toEqual([
      {
        jobId: '289782451',
        name: 'Analyze (javascript)',
        status: 'in_progress',
        conclusion: null,
        runnerName: 'GitHub Actions 5',
        steps: [{ name: 'Set up job', status: 'in_progress', conclusion: null, number: 1 }],
      },
    ]);
  });

  it('a completed job frees its runner and completes the run with the job’s steps and conclusion', () => {
    const queued = apply(example('queued'));
    const started = apply(example('in_progress'), { run: queued.run, runner: null });
    const { run, runner } = apply(example('completed.success'), {
      run: started.run,
      runner: started.runner,
    });
    expect(runner).toMatchObject({ runnerId: '5', status: 'idle', currentJob: null });
    // The completed example carries no workflow_name: the run keeps the one it had.
    expect(run).toMatchObject({ workflow: 'CodeQL', status: 'completed', conclusion: 'success' });
    expect(run.jobs).toHaveLength(1);
    expect(run.jobs?.[0]).toMatchObject({ name: 'linters', status: 'completed', conclusion: 'success' });
    expect(run.jobs?.[0]?.steps?.map((s) => [s.name, s.conclusion])).toEqual([
      ['Set up job', 'success'],
      ['Checkout Repo', 'success'],
      ['Install Ruby', 'success'],
      ['Run Rubocop', 'success'],
      ['Run Brakeman', 'success'],
      ['Run Bundle Audit', 'success'],
      ['Post Checkout Repo', 'success'],
      ['Complete job', 'success'],
    ]);
  });

  it('keeps every job of the run: a second job is added, the first one stays', () => {
    const first = apply(example('completed.failure'));
    const second = example('in_progress');
    const other: WorkflowJobDelivery = {
      ...second,
      workflow_job: { ...second.workflow_job, id: 1, runner_id: 6, runner_name: 'GitHub Actions 6' },
    };
    const { run } = apply(other, { run: first.run, runner: null });
    expect(run.jobs?.map((job) => [job.jobId, job.status, job.conclusion])).toEqual([
      ['289782451', 'completed', 'failure'],
      ['1', 'in_progress', null],
    ]);
    expect(run.status).toBe('in_progress');
    const done = apply(
      { ...other, action: 'completed', workflow_job: { ...other.workflow_job, conclusion: 'success' } },
      { run, runner: null },
    );
    expect(done.run).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });

  it('ignores a late delivery for a job that already completed, and unknown actions', () => {
    const done = apply(example('completed.success'));
    expect(mapWorkflowJob(example('in_progress'), { run: done.run, runner: null })).toMatchObject({
      kind: 'ignored',
    });
    expect(mapWorkflowJob({ ...example('queued'), action: 'deleted' }, NONE)).toMatchObject({
      kind: 'ignored',
    });
  });

  it('does not mark idle a runner that already started another job', () => {
    const done = example('completed.success');
    const mapped = mapWorkflowJob(done, {
      run: null,
      runner: {
        runnerId: '5',
        name: 'GitHub Actions 5',
        status: 'busy',
        labels: [],
        currentJob: { jobId: '999', workflow: 'CI', repo: 'a/b' },
      },
    });
    expect(mapped).toMatchObject({ kind: 'mapped', runner: null });
  });
});
