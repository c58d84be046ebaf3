'use client';

import { TableHead } from '@/components/ui/table-head';
import { useDeployProgress } from '@/hooks/use-deploy-progress';
import { StepTimeline } from '@/components/builds/step-timeline';
import { Card } from '@/components/ui/card';
import { EmptyState, curlExample } from '@/components/ui/empty-state';
import { ProgressBar } from '@/components/ui/progress-bar';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusBadge } from '@/components/ui/status-badge';

/** One column per environment with its latest deploy, then every deploy newest first. */
export function DeploysSection({ project }: { project: string }) {
  const { byEnvironment, deploys, loaded } = useDeployProgress(project);
  if (loaded && deploys.length === 0) {
    return (
      <EmptyState
        title="No deploys yet"
        example={curlExample(`project:${project}`, 'deploy:progress', {
          deployId: 'd-7',
          environment: 'production',
          status: 'in-progress',
          progress: 30,
          step: 'rollout',
          version: '1.4.2',
        })}
      >
        Deploys appear with their first <code>deploy:progress</code> event:
      </EmptyState>
    );
  }
  return (
    <div className="flex flex-col gap-6">
      <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
        {byEnvironment.map(({ environment, deploy }) => {
          const p = deploy.latest.payload;
          return (
            <Card
              key={environment}
              className="flex flex-col gap-3 p-4"
              data-testid="environment-card"
              data-environment={environment}
            >
              <div className="flex items-center gap-2">
                <h3 className="font-semibold">{environment}</h3>
                {p.version && <span className="font-mono text-xs text-zinc-500">{p.version}</span>}
                <span className="ml-auto">
                  <StatusBadge status={p.status} />
                </span>
              </div>
              <div className="text-sm">
                <div className="mb-1 flex justify-between">
                  <span className="truncate">
                    <span className="font-mono">{p.deployId}</span> · {p.step}
                  </span>
                  <span className="tabular-nums">{Math.round(p.progress)}%</span>
                </div>
                <ProgressBar value={p.progress} status={p.status} label={`Deploy to ${environment}`} />
              </div>
              <StepTimeline steps={deploy.steps} />
              <p className="text-xs text-zinc-500">
                started <RelativeTime ts={deploy.startedAt} />
              </p>
            </Card>
          );
        })}
      </div>
      <Card className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="px-4 pt-3 text-left text-xs font-semibold text-zinc-500 uppercase">
            All deploys
          </caption>
          <TableHead columns={['Deploy', 'Environment', 'Version', 'Status', 'Step', 'Started']} />
          <tbody>
            {deploys.map((d) => (
              <tr key={d.latest.payload.deployId} className="border-t border-zinc-100 dark:border-zinc-800">
                <td className="px-4 py-1.5 font-mono">{d.latest.payload.deployId}</td>
                <td className="px-4 py-1.5">{d.latest.payload.environment}</td>
                <td className="px-4 py-1.5 font-mono text-xs">{d.latest.payload.version ?? '—'}</td>
                <td className="px-4 py-1.5">
                  <StatusBadge status={d.latest.payload.status} />
                </td>
                <td className="px-4 py-1.5 text-zinc-600 dark:text-zinc-400">{d.latest.payload.step}</td>
                <td className="px-4 py-1.5 text-zinc-500">
                  <RelativeTime ts={d.startedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
