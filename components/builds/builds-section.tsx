'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useBuildProgress } from '@/hooks/use-build-progress';
import { logsRoom } from '@/lib/shared/rooms';
import { Card } from '@/components/ui/card';
import { EmptyState, curlExample } from '@/components/ui/empty-state';
import { ProgressBar } from '@/components/ui/progress-bar';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusBadge } from '@/components/ui/status-badge';
import { StepTimeline } from './step-timeline';

/** Build list (running first, then history) and the selected build's step timeline. */
export function BuildsSection({ project }: { project: string }) {
  const { builds, loaded } = useBuildProgress(project);
  const [selected, setSelected] = useState<string | null>(null);
  const detail = useBuildProgress(project, selected ?? builds[0]?.latest.payload.buildId);

  if (loaded && builds.length === 0) {
    return (
      <EmptyState
        title="No builds yet"
        example={curlExample(`project:${project}`, 'build:progress', {
          buildId: '142',
          status: 'in-progress',
          progress: 40,
          step: 'test',
          currentStep: 3,
          totalSteps: 5,
        })}
      >
        Builds appear with their first <code>build:progress</code> event (or wrap a command:{' '}
        <code>opsroom run</code>):
      </EmptyState>
    );
  }
  const running = builds.filter(
    (b) => b.latest.payload.status === 'queued' || b.latest.payload.status === 'in-progress',
  );
  const finished = builds.filter((b) => !running.includes(b));
  const build = detail.build;

  const row = (entry: (typeof builds)[number]) => {
    const p = entry.latest.payload;
    const isSelected = build?.latest.payload.buildId === p.buildId;
    return (
      <li key={p.buildId}>
        <button
          type="button"
          onClick={() => setSelected(p.buildId)}
          aria-pressed={isSelected}
          data-testid="build-row"
          data-build={p.buildId}
          className={`flex w-full flex-col gap-1.5 rounded-md px-3 py-2 text-left text-sm ${isSelected ? 'bg-indigo-50 ring-1 ring-indigo-200 dark:bg-indigo-500/10 dark:ring-indigo-500/30' : 'hover:bg-zinc-50 dark:hover:bg-zinc-800/50'}`}
        >
          <span className="flex items-center gap-2">
            <span className="font-mono font-medium">#{p.buildId}</span>
            <span className="truncate text-zinc-500">{p.step}</span>
            <span className="ml-auto">
              <StatusBadge status={p.status} />
            </span>
          </span>
          <ProgressBar value={p.progress} status={p.status} label={`Build ${p.buildId} progress`} />
        </button>
      </li>
    );
  };

  return (
    <div className="grid gap-4 lg:grid-cols-[380px_1fr]">
      <Card className="p-2">
        <h2 className="px-2 pt-1 pb-2 text-xs font-semibold text-zinc-500 uppercase">
          Running ({running.length})
        </h2>
        <ul className="flex flex-col gap-1">{running.map(row)}</ul>
        {running.length === 0 && (
          <p className="px-3 pb-2 text-sm text-zinc-500">Nothing building right now.</p>
        )}
        <h2 className="px-2 pt-3 pb-2 text-xs font-semibold text-zinc-500 uppercase">
          History ({finished.length})
        </h2>
        <ul className="flex max-h-[55vh] flex-col gap-1 overflow-y-auto">{finished.map(row)}</ul>
      </Card>
      {build && (
        <Card className="flex flex-col gap-4 p-5" data-testid="build-detail">
          <div className="flex flex-wrap items-center gap-3">
            <h2 className="text-lg font-semibold">
              Build <span className="font-mono">#{build.latest.payload.buildId}</span>
            </h2>
            <StatusBadge status={build.latest.payload.status} />
            <span className="ml-auto text-sm text-zinc-500">
              started <RelativeTime ts={build.startedAt} />
            </span>
          </div>
          <div>
            <div className="mb-1 flex justify-between text-sm">
              <span>
                {build.latest.payload.step}
                {build.latest.payload.currentStep !== undefined &&
                  build.latest.payload.totalSteps !== undefined && (
                    <span className="text-zinc-500">
                      {' '}
                      (step {build.latest.payload.currentStep} of {build.latest.payload.totalSteps})
                    </span>
                  )}
              </span>
              <span className="tabular-nums">{Math.round(detail.progress)}%</span>
            </div>
            <ProgressBar
              value={detail.progress}
              status={build.latest.payload.status}
              label="Build progress"
            />
          </div>
          {build.latest.payload.message && (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">{build.latest.payload.message}</p>
          )}
          <StepTimeline steps={detail.history} />
          <Link
            href={`/projects/${project}/logs?stream=build-${encodeURIComponent(build.latest.payload.buildId)}`}
            className="self-start text-sm text-indigo-600 hover:underline dark:text-indigo-400"
          >
            Logs of this build ({logsRoom(project, `build-${build.latest.payload.buildId}`)}) →
          </Link>
        </Card>
      )}
    </div>
  );
}
