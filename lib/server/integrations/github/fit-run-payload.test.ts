import { describe, expect, it } from 'vitest';
import { fitRunPayload } from './fit-run-payload';

const steps = Array.from({ length: 20 }, (_, i) => ({
  name: `step ${i} ${'x'.repeat(60)}`,
  status: 'completed',
  conclusion: 'success',
  number: i + 1,
}));
const job = (id: number, status: string) => ({
  jobId: String(id),
  name: `shard ${id}`,
  status,
  conclusion: status === 'completed' ? 'success' : null,
  runnerName: `runner ${id}`,
  steps,
});
const run = (jobs: Array<ReturnType<typeof job>>) => ({
  runId: '1',
  workflow: 'CI',
  repo: 'acme/web',
  status: 'in_progress' as const,
  jobs,
});
const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('fitting a run into the payload limit', () => {
  it('leaves a run under the limit alone', () => {
    const small = run([job(1, 'completed')]);
    expect(fitRunPayload(small, 64 * 1024, '1')).toBe(small);
  });

  it('drops steps of completed jobs first, oldest first, and never those of the delivered job', () => {
    const big = run([
      ...Array.from({ length: 30 }, (_, i) => job(i, 'completed')),
      ...Array.from({ length: 10 }, (_, i) => job(100 + i, 'in_progress')),
    ]);
    expect(size(big)).toBeGreaterThan(64 * 1024);
    const fitted = fitRunPayload(big, 64 * 1024, '0');
    expect(size(fitted)).toBeLessThanOrEqual(64 * 1024);
    const jobs = fitted.jobs ?? [];
    expect(jobs).toHaveLength(40);
    expect(jobs[0]?.steps).toHaveLength(20);
    expect(jobs[1]).toMatchObject({ steps: [], stepsOmitted: true, conclusion: 'success' });
    // Running jobs keep their steps while completed ones can give theirs up.
    expect(jobs.slice(30).every((j) => j.steps?.length === 20)).toBe(true);
    expect(jobs.at(-2)?.steps?.length).toBe(20);
  });

  it('goes on to running jobs when completed ones are not enough', () => {
    const big = run(Array.from({ length: 60 }, (_, i) => job(i, 'in_progress')));
    const fitted = fitRunPayload(big, 32 * 1024, '59');
    expect(size(fitted)).toBeLessThanOrEqual(32 * 1024);
    expect(fitted.jobs?.at(-1)?.steps).toHaveLength(20);
  });
});
