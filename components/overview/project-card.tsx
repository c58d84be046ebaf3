'use client';

import Link from 'next/link';
import { useActivity } from '@/hooks/use-activity';
import { useBuildProgress } from '@/hooks/use-build-progress';
import { useDeployProgress } from '@/hooks/use-deploy-progress';
import { useServiceStatus } from '@/hooks/use-service-status';
import { Card } from '@/components/ui/card';
import { ProgressBar } from '@/components/ui/progress-bar';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusBadge } from '@/components/ui/status-badge';
import { toneOf } from '@/components/ui/status-tone';

/** One project at a glance: service health, what is building or deploying, last activity. */
export function ProjectCard({ slug }: { slug: string }) {
  const { services } = useServiceStatus(slug);
  const { builds } = useBuildProgress(slug);
  const { deploys } = useDeployProgress(slug);
  const { lastActivityAt, loaded } = useActivity(slug);
  const up = services.filter((s) => toneOf(s.latest.payload.status) === 'ok').length;
  const down = services.filter((s) => toneOf(s.latest.payload.status) === 'bad').length;
  const running = [
    ...builds
      .filter((b) => toneOf(b.latest.payload.status) === 'active' || b.latest.payload.status === 'queued')
      .map((b) => ({ kind: 'build', id: b.latest.payload.buildId, entry: b.latest.payload })),
    ...deploys
      .filter((d) => toneOf(d.latest.payload.status) === 'active' || d.latest.payload.status === 'queued')
      .map((d) => ({
        kind: `deploy → ${d.latest.payload.environment}`,
        id: d.latest.payload.deployId,
        entry: d.latest.payload,
      })),
  ].slice(0, 3);
  const lastBuild = builds[0];
  const health =
    down > 0
      ? 'error'
      : services.some((s) => toneOf(s.latest.payload.status) === 'warn')
        ? 'degraded'
        : services.length > 0
          ? 'running'
          : 'unknown';

  return (
    <Card className="flex flex-col gap-3 p-4" data-testid="project-card" data-project={slug}>
      <div className="flex items-center gap-2">
        <Link href={`/projects/${slug}`} className="truncate text-base font-semibold hover:underline">
          {slug}
        </Link>
        <span className="ml-auto">
          <StatusBadge
            status={health}
            label={
              services.length === 0
                ? 'no services'
                : down > 0
                  ? `${down} down`
                  : health === 'degraded'
                    ? 'degraded'
                    : 'healthy'
            }
          />
        </span>
      </div>
      <dl className="grid grid-cols-3 gap-2 text-center text-xs">
        <div className="rounded-md bg-zinc-50 p-2 dark:bg-zinc-800/50">
          <dt className="text-zinc-500">Services up</dt>
          <dd className="mt-0.5 text-lg font-semibold tabular-nums" data-testid="services-up">
            {up}/{services.length}
          </dd>
        </div>
        <div className="rounded-md bg-zinc-50 p-2 dark:bg-zinc-800/50">
          <dt className="text-zinc-500">Running</dt>
          <dd className="mt-0.5 text-lg font-semibold tabular-nums">{running.length}</dd>
        </div>
        <div className="rounded-md bg-zinc-50 p-2 dark:bg-zinc-800/50">
          <dt className="text-zinc-500">Last build</dt>
          <dd className="mt-1">
            {lastBuild ? (
              <StatusBadge status={lastBuild.latest.payload.status} />
            ) : (
              <span className="text-zinc-400">—</span>
            )}
          </dd>
        </div>
      </dl>
      {running.length > 0 && (
        <ul className="flex flex-col gap-2">
          {running.map((r) => (
            <li key={`${r.kind}:${r.id}`} className="text-xs">
              <div className="mb-1 flex justify-between gap-2">
                <span className="truncate">
                  {r.kind} <span className="font-mono">{r.id}</span> · {r.entry.step}
                </span>
                <span className="tabular-nums text-zinc-500">{Math.round(r.entry.progress)}%</span>
              </div>
              <ProgressBar
                value={r.entry.progress}
                status={r.entry.status}
                label={`${r.kind} ${r.id} progress`}
              />
            </li>
          ))}
        </ul>
      )}
      <p className="mt-auto text-xs text-zinc-500">
        {!loaded ? (
          'Connecting…'
        ) : lastActivityAt ? (
          <>
            Last activity <RelativeTime ts={lastActivityAt} />
          </>
        ) : (
          'No activity since you opened this page'
        )}
      </p>
    </Card>
  );
}
