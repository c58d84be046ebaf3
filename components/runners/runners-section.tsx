'use client';

import { TableHead } from '@/components/ui/table-head';
import { useRunnerStatus } from '@/hooks/use-runner-status';
import { useWorkflowRuns } from '@/hooks/use-workflow-runs';
import { Card, SectionHeading } from '@/components/ui/card';
import { EmptyState, curlExample } from '@/components/ui/empty-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusBadge } from '@/components/ui/status-badge';

export function RunnersSection({ project }: { project: string }) {
  const { runners, scaling, loaded } = useRunnerStatus(project);
  const { runs } = useWorkflowRuns(project);
  if (loaded && runners.length === 0 && runs.length === 0 && scaling.length === 0) {
    return (
      <EmptyState
        title="No runners or workflow runs yet"
        example={curlExample(`project:${project}`, 'runner:status', {
          runnerId: 'r1',
          name: 'runner-1',
          status: 'idle',
          labels: ['self-hosted', 'linux'],
        })}
      >
        Point GitHub&apos;s <code>workflow_job</code> and <code>workflow_run</code> webhooks at Opsroom, or
        publish <code>runner:status</code> yourself:
      </EmptyState>
    );
  }
  return (
    <div className="grid gap-6 xl:grid-cols-[1fr_360px]">
      <div className="flex flex-col gap-6">
        <section aria-labelledby="runners-heading">
          <SectionHeading title={`Runners (${runners.length})`} id="runners-heading" />
          <Card className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="runners-table">
              <TableHead columns={['Runner', 'Status', 'Labels', 'Current job', 'Updated']} />
              <tbody>
                {runners.map((r) => (
                  <tr
                    key={r.payload.runnerId}
                    className="border-t border-zinc-100 dark:border-zinc-800"
                    data-runner={r.payload.name}
                  >
                    <td className="px-4 py-1.5">
                      <span className="font-medium">{r.payload.name}</span>
                      {r.payload.os && <span className="ml-2 text-xs text-zinc-500">{r.payload.os}</span>}
                    </td>
                    <td className="px-4 py-1.5">
                      <StatusBadge status={r.payload.status} />
                    </td>
                    <td className="px-4 py-1.5">
                      <span className="flex flex-wrap gap-1">
                        {r.payload.labels.map((label) => (
                          <span
                            key={label}
                            className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] dark:bg-zinc-800"
                          >
                            {label}
                          </span>
                        ))}
                      </span>
                    </td>
                    <td className="px-4 py-1.5 text-xs">
                      {r.payload.currentJob ? (
                        <span>
                          {r.payload.currentJob.workflow}{' '}
                          <span className="text-zinc-500">· {r.payload.currentJob.repo}</span>
                        </span>
                      ) : (
                        <span className="text-zinc-400">—</span>
                      )}
                    </td>
                    <td className="px-4 py-1.5 text-xs text-zinc-500">
                      <RelativeTime ts={r.ts} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        </section>
        <section aria-labelledby="workflows-heading">
          <SectionHeading title={`Workflow runs (${runs.length})`} id="workflows-heading" />
          <div className="flex flex-col gap-2">
            {runs.map((run) => (
              <Card key={run.payload.runId} className="p-3" data-testid="workflow-run">
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <span className="font-medium">{run.payload.workflow}</span>
                  <span className="text-zinc-500">{run.payload.repo}</span>
                  <span className="font-mono text-xs text-zinc-500">#{run.payload.runId}</span>
                  <span className="ml-auto flex items-center gap-2">
                    <StatusBadge status={run.payload.status} />
                    {run.payload.conclusion && <StatusBadge status={run.payload.conclusion} />}
                  </span>
                </div>
                {run.payload.jobs && run.payload.jobs.length > 0 && (
                  <ul className="mt-2 flex flex-col gap-1 border-t border-zinc-100 pt-2 text-xs dark:border-zinc-800">
                    {run.payload.jobs.map((job) => (
                      <li key={job.jobId} className="flex flex-wrap items-center gap-2">
                        <span className="font-medium">{job.name}</span>
                        <StatusBadge status={job.conclusion ?? job.status} />
                        {job.runnerName && <span className="text-zinc-500">on {job.runnerName}</span>}
                        {job.steps && job.steps.length > 0 && (
                          <span className="text-zinc-500">
                            {job.steps.filter((s) => s.status === 'completed').length}/{job.steps.length}{' '}
                            steps
                          </span>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
                {run.payload.url && (
                  <a
                    href={run.payload.url}
                    className="mt-1 inline-block text-xs text-indigo-600 hover:underline dark:text-indigo-400"
                    rel="noreferrer noopener"
                    target="_blank"
                  >
                    Open on GitHub
                  </a>
                )}
              </Card>
            ))}
          </div>
        </section>
      </div>
      <section aria-labelledby="scaling-heading">
        <SectionHeading title="Autoscaling" id="scaling-heading" />
        <Card className="p-3">
          {scaling.length === 0 ? (
            <p className="text-sm text-zinc-500">
              No scaling activity yet (<code>scale</code> events).
            </p>
          ) : (
            <ol className="flex flex-col gap-1.5 text-sm">
              {scaling.map((s) => (
                <li key={s.seq} className="flex flex-wrap items-center gap-2">
                  <span
                    aria-hidden
                    className={s.payload.direction === 'up' ? 'text-emerald-600' : 'text-amber-600'}
                  >
                    {s.payload.direction === 'up' ? '▲' : '▼'}
                  </span>
                  <span className="font-medium">{s.payload.pool}</span>
                  <span className="tabular-nums">
                    {s.payload.from} → {s.payload.to}
                  </span>
                  {s.payload.reason && <span className="text-xs text-zinc-500">{s.payload.reason}</span>}
                  <span className="ml-auto text-xs text-zinc-500">
                    <RelativeTime ts={s.ts} />
                  </span>
                </li>
              ))}
            </ol>
          )}
        </Card>
      </section>
    </div>
  );
}
