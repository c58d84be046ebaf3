'use client';

import { TableHead } from '@/components/ui/table-head';
import { useRunnerStatus } from '@/hooks/use-runner-status';
import { useWorkflowRuns } from '@/hooks/use-workflow-runs';
import { Card, SectionHeading } from '@/components/ui/card';
import { EmptyState, curlExample } from '@/components/ui/empty-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusBadge } from '@/components/ui/status-badge';
import { WorkflowRunCard, humanize } from './workflow-run-card';

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
                {runners.length === 0 && (
                  <tr className="border-t border-zinc-100 dark:border-zinc-800">
                    <td colSpan={5} className="px-4 py-3 text-zinc-500">
                      No runners reported yet; a runner appears when a job starts on it.
                    </td>
                  </tr>
                )}
                {runners.map((r) => (
                  <tr
                    key={r.payload.runnerId}
                    className="border-t border-zinc-100 dark:border-zinc-800"
                    data-runner={r.payload.name}
                    data-status={r.payload.status}
                  >
                    <td className="px-4 py-1.5">
                      <span className="font-medium">{r.payload.name}</span>
                      {r.payload.os && <span className="ml-2 text-xs text-zinc-500">{r.payload.os}</span>}
                    </td>
                    <td className="px-4 py-1.5">
                      <StatusBadge status={r.payload.status} label={humanize(r.payload.status)} />
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
                        <span data-testid="current-job" data-job={r.payload.currentJob.jobId}>
                          {r.payload.currentJob.workflow}{' '}
                          <span className="text-zinc-500">
                            · {r.payload.currentJob.repo} · job {r.payload.currentJob.jobId}
                          </span>
                        </span>
                      ) : (
                        <span className="text-zinc-400">
                          <span aria-hidden>—</span>
                          <span className="sr-only">none</span>
                        </span>
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
            {runs.length === 0 ? (
              <p className="text-sm text-zinc-500">
                No workflow runs yet (<code>workflow_run</code> or <code>workflow_job</code> deliveries, or{' '}
                <code>workflow:update</code> events).
              </p>
            ) : (
              runs.map((run) => <WorkflowRunCard key={run.payload.runId} run={run} />)
            )}
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
