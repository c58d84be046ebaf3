'use client';

import { TableHead } from '@/components/ui/table-head';
import { useBenchmarkRuns } from '@/hooks/use-benchmark-runs';
import { Card, SectionHeading } from '@/components/ui/card';
import { EmptyState, curlExample } from '@/components/ui/empty-state';
import { ProgressBar } from '@/components/ui/progress-bar';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusBadge } from '@/components/ui/status-badge';

const RUN_TONE = {
  started: 'in-progress',
  running: 'in-progress',
  complete: 'complete',
  failed: 'failed',
} as const;

export function BenchmarksSection({ project }: { project: string }) {
  const { runs, regressions, baselines, analyses, loaded } = useBenchmarkRuns(project);
  if (loaded && runs.length === 0 && regressions.length === 0) {
    return (
      <EmptyState
        title="No benchmark runs yet"
        example={curlExample(`project:${project}`, 'run:started', { runId: 'r-1', suite: 'api-latency' })}
      >
        Runs appear with <code>run:started</code>, <code>run:progress</code> and <code>run:complete</code>{' '}
        events; regressions with <code>regression:detected</code>:
      </EmptyState>
    );
  }
  return (
    <div className="grid gap-6 xl:grid-cols-2">
      <section aria-labelledby="runs-heading">
        <SectionHeading title="Runs" id="runs-heading" />
        <div className="flex flex-col gap-2">
          {runs.map((run) => (
            <Card
              key={run.latest.payload.runId}
              className="flex flex-col gap-2 p-3"
              data-testid="benchmark-run"
            >
              <div className="flex items-center gap-2 text-sm">
                <span className="font-medium">{run.latest.payload.suite}</span>
                <span className="font-mono text-xs text-zinc-500">{run.latest.payload.runId}</span>
                <span className="ml-auto">
                  <StatusBadge status={RUN_TONE[run.status]} label={run.status} />
                </span>
              </div>
              <ProgressBar
                value={run.status === 'complete' ? 100 : (run.latest.payload.progress ?? 0)}
                status={RUN_TONE[run.status]}
                label={`Run ${run.latest.payload.runId}`}
              />
              {run.latest.payload.error && (
                <p className="text-xs text-red-600 dark:text-red-400">{run.latest.payload.error}</p>
              )}
              <p className="text-xs text-zinc-500">
                started <RelativeTime ts={run.startedAt} />
              </p>
            </Card>
          ))}
        </div>
      </section>
      <div className="flex flex-col gap-6">
        <section aria-labelledby="regressions-heading">
          <SectionHeading title={`Regressions (${regressions.length})`} id="regressions-heading" />
          <Card className="overflow-x-auto">
            {regressions.length === 0 ? (
              <p className="p-3 text-sm text-zinc-500">No regressions detected.</p>
            ) : (
              <table className="w-full text-left text-sm" data-testid="regressions">
                <TableHead
                  columns={[
                    'Test',
                    'Metric',
                    { label: 'Baseline', align: 'right' },
                    { label: 'Current', align: 'right' },
                    { label: 'Change', align: 'right' },
                    'Severity',
                  ]}
                  padding="px-3"
                />
                <tbody>
                  {regressions.map((r) => (
                    <tr key={r.seq} className="border-t border-zinc-100 dark:border-zinc-800">
                      <td className="px-3 py-1.5">{r.payload.test}</td>
                      <td className="px-3 py-1.5 font-mono text-xs">{r.payload.metric}</td>
                      <td className="px-3 py-1.5 text-right tabular-nums">{r.payload.baseline}</td>
                      <td className="px-3 py-1.5 text-right tabular-nums">{r.payload.current}</td>
                      <td className="px-3 py-1.5 text-right tabular-nums">
                        {r.payload.changePercent > 0 ? '+' : ''}
                        {r.payload.changePercent.toFixed(1)}%
                      </td>
                      <td className="px-3 py-1.5">
                        <StatusBadge status={r.payload.severity} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        </section>
        <section aria-labelledby="baselines-heading">
          <SectionHeading title="Baselines" id="baselines-heading" />
          <Card className="p-3 text-sm">
            {baselines.length === 0 ? (
              <p className="text-zinc-500">No baselines yet.</p>
            ) : (
              <ul className="flex flex-col gap-1">
                {baselines.map((b) => (
                  <li key={b.payload.name} className="flex gap-2">
                    <span className="font-medium">{b.payload.name}</span>
                    <span className="text-zinc-500">
                      {b.payload.test} · run <span className="font-mono">{b.payload.runId}</span>
                    </span>
                    <span className="ml-auto text-xs text-zinc-500">
                      <RelativeTime ts={b.ts} />
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </section>
        {analyses.length > 0 && (
          <section aria-labelledby="analyses-heading">
            <SectionHeading title="Analyses" id="analyses-heading" />
            <Card className="flex flex-col gap-2 p-3 text-sm">
              {analyses.map((a) => (
                <p key={a.seq}>
                  <span className="font-medium">{a.payload.test}</span>{' '}
                  <span className="text-zinc-500">({a.payload.runId})</span>: {a.payload.summary}
                </p>
              ))}
            </Card>
          </section>
        )}
      </div>
    </div>
  );
}
