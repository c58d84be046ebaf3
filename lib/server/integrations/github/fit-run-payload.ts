/**
 * A run's workflow:update carries every job with its steps, and a large matrix can pass the
 * event payload limit (OPSROOM_MAX_PAYLOAD_BYTES, 64 KiB by default). Refusing the delivery
 * would fail every later one for that run too, so detail goes where it matters least: first
 * the steps of completed jobs (their conclusion stays), oldest first, then the steps of the
 * other jobs, never those of the job the delivery is about. Jobs whose steps were dropped say
 * so with `stepsOmitted: true` (jobs are open objects in the catalogue).
 */
import type { PayloadInputOf } from '@/lib/shared/events';

type RunInput = PayloadInputOf<'workflow:update'>;

const byteSize = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

export function fitRunPayload(run: RunInput, maxBytes: number, keepJobId: string | null): RunInput {
  if (byteSize(run) <= maxBytes || run.jobs === undefined) return run;
  const jobs = [...run.jobs];
  const candidates = jobs
    .map((job, index) => ({ job, index }))
    .filter(({ job }) => String(job.jobId) !== keepJobId && (job.steps?.length ?? 0) > 0);
  const order = [
    ...candidates.filter(({ job }) => job.status === 'completed'),
    ...candidates.filter(({ job }) => job.status !== 'completed'),
  ];
  for (const { job, index } of order) {
    jobs[index] = { ...job, steps: [], stepsOmitted: true };
    if (byteSize({ ...run, jobs }) <= maxBytes) break;
  }
  return { ...run, jobs };
}
