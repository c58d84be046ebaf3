'use client';

import { useId } from 'react';
import { Card } from '@/components/ui/card';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusBadge } from '@/components/ui/status-badge';
import type { Envelope } from '@/lib/shared/envelope';
import type { WorkflowUpdatePayload } from '@/lib/shared/events';

type Job = NonNullable<WorkflowUpdatePayload['jobs']>[number];
type Step = NonNullable<Job['steps']>[number];

/** GitHub's words (`in_progress`, `timed_out`) as people read them. */
export const humanize = (status: string): string => status.replace(/[_-]+/g, ' ');

/** A job's or step's outcome once it has one, otherwise where it is. */
const outcomeOf = (item: { status: string; conclusion?: string | null | undefined }): string =>
  item.conclusion ?? item.status;

function StepList({ job }: { job: Job }) {
  const steps = job.steps ?? [];
  if (steps.length === 0) {
    return (
      <p className="px-2 py-1 text-zinc-500">
        {job.stepsOmitted === true
          ? 'Steps not kept: the run was too large to store every job’s steps.'
          : 'No steps reported yet.'}
      </p>
    );
  }
  return (
    <ol className="flex flex-col gap-0.5 py-1 pl-2" aria-label={`Steps of ${job.name}`}>
      {steps.map((step: Step, index) => (
        <li
          key={`${step.number ?? index}-${step.name}`}
          className="flex items-center gap-2"
          data-step={step.name}
          data-outcome={outcomeOf(step)}
        >
          <span className="w-6 text-right text-zinc-400 tabular-nums" aria-hidden>
            {step.number ?? index + 1}
          </span>
          <span className="min-w-0 flex-1 truncate">{step.name}</span>
          <StatusBadge status={outcomeOf(step)} label={humanize(outcomeOf(step))} compact />
        </li>
      ))}
    </ol>
  );
}

function JobItem({ job }: { job: Job }) {
  const steps = job.steps ?? [];
  const done = steps.filter((step) => step.status === 'completed').length;
  return (
    <li data-job={job.jobId} data-status={job.status} data-outcome={outcomeOf(job)}>
      {/* Native disclosure: focusable, Enter/Space toggle, expanded state announced. */}
      <details
        className="group rounded-md open:bg-zinc-50 dark:open:bg-zinc-800/40"
        open={job.status === 'in_progress'}
      >
        <summary className="flex cursor-pointer flex-wrap items-center gap-2 rounded-md px-2 py-1 focus-visible:outline-2 focus-visible:outline-indigo-500">
          {/* flex on <summary> hides the browser's own marker; this one turns when open. */}
          <span className="text-zinc-400 transition-transform group-open:rotate-90" aria-hidden>
            ▸
          </span>
          <span className="font-medium">{job.name}</span>
          <StatusBadge status={outcomeOf(job)} label={humanize(outcomeOf(job))} />
          {job.runnerName && <span className="text-zinc-500">on {job.runnerName}</span>}
          <span className="ml-auto text-zinc-500 tabular-nums">
            {steps.length > 0
              ? `${done}/${steps.length} steps`
              : job.stepsOmitted === true
                ? 'steps not kept'
                : 'no steps yet'}
          </span>
        </summary>
        <StepList job={job} />
      </details>
    </li>
  );
}

/** One workflow run: status, conclusion, and every job with its steps. */
export function WorkflowRunCard({ run }: { run: Envelope<WorkflowUpdatePayload> }) {
  const headingId = useId();
  const { payload } = run;
  const jobs = payload.jobs ?? [];
  return (
    <Card className="p-3">
      <article
        aria-labelledby={headingId}
        data-testid="workflow-run"
        data-run={payload.runId}
        data-status={payload.status}
      >
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <h3 id={headingId} className="font-medium">
            {payload.workflow}
          </h3>
          <span className="text-zinc-500">{payload.repo}</span>
          <span className="font-mono text-xs text-zinc-500">#{payload.runId}</span>
          <span className="ml-auto flex items-center gap-2">
            <span className="sr-only">Status:</span>
            <StatusBadge status={payload.status} label={humanize(payload.status)} />
            {payload.conclusion && (
              <span data-testid="run-conclusion" className="flex items-center gap-1">
                <span className="sr-only">Conclusion:</span>
                <StatusBadge status={payload.conclusion} label={humanize(payload.conclusion)} />
              </span>
            )}
            <span className="text-xs text-zinc-500">
              <RelativeTime ts={run.ts} />
            </span>
          </span>
        </div>
        {jobs.length === 0 ? (
          <p className="mt-2 border-t border-zinc-100 pt-2 text-xs text-zinc-500 dark:border-zinc-800">
            No jobs reported yet; <code>workflow_job</code> deliveries add them.
          </p>
        ) : (
          <ul
            className="mt-2 flex flex-col gap-1 border-t border-zinc-100 pt-2 text-xs dark:border-zinc-800"
            aria-label={`Jobs of ${payload.workflow}`}
          >
            {jobs.map((job) => (
              <JobItem key={job.jobId} job={job} />
            ))}
          </ul>
        )}
        {payload.url && (
          <a
            href={payload.url}
            className="mt-1 inline-block text-xs text-indigo-600 hover:underline dark:text-indigo-400"
            rel="noreferrer noopener"
            target="_blank"
          >
            Open on GitHub<span className="sr-only"> (run {payload.runId}, new tab)</span>
          </a>
        )}
      </article>
    </Card>
  );
}
