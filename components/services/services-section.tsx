'use client';

import { useServiceStatus } from '@/hooks/use-service-status';
import { Card } from '@/components/ui/card';
import { EmptyState, curlExample } from '@/components/ui/empty-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusBadge } from '@/components/ui/status-badge';
import { TONE_DOT, toneOf } from '@/components/ui/status-tone';

export function ServicesSection({ project }: { project: string }) {
  const { services, loaded } = useServiceStatus(project);
  if (loaded && services.length === 0) {
    return (
      <EmptyState
        title="No services reported yet"
        example={curlExample(`project:${project}`, 'service:status', {
          service: 'api',
          status: 'running',
          health: { status: 'healthy' },
        })}
      >
        Services appear when something publishes a <code>service:status</code> event for them:
      </EmptyState>
    );
  }
  return (
    <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3" data-testid="services">
      {services.map(({ latest, changedAt, history }) => {
        const p = latest.payload;
        return (
          <Card
            key={p.service}
            className="flex flex-col gap-2 p-4"
            data-testid="service-card"
            data-service={p.service}
          >
            <div className="flex items-center gap-2">
              <h3 className="truncate font-semibold">{p.service}</h3>
              {p.version && <span className="font-mono text-xs text-zinc-500">{p.version}</span>}
              <span className="ml-auto">
                <StatusBadge status={p.status} />
              </span>
            </div>
            {p.health && (
              <div className="flex items-center gap-2 text-xs">
                <span className="text-zinc-500">Health</span>
                <StatusBadge status={p.health.status} />
              </div>
            )}
            {p.message && <p className="text-sm text-zinc-600 dark:text-zinc-400">{p.message}</p>}
            {p.health?.checks && p.health.checks.length > 0 && (
              <ul className="flex flex-col gap-1 text-xs" aria-label={`${p.service} health checks`}>
                {p.health.checks.map((check) => (
                  <li key={check.name} className="flex items-start gap-2">
                    <span
                      className={`mt-1 h-1.5 w-1.5 shrink-0 rounded-full ${TONE_DOT[toneOf(check.status)]}`}
                      aria-hidden
                    />
                    <span className="font-medium">{check.name}</span>
                    <span className="text-zinc-500">{check.status}</span>
                    {check.output && <span className="truncate font-mono text-zinc-500">{check.output}</span>}
                  </li>
                ))}
              </ul>
            )}
            <div className="mt-auto flex items-center gap-2 pt-1 text-xs text-zinc-500">
              <span>
                {p.status} since <RelativeTime ts={changedAt} />
              </span>
              <span className="ml-auto flex gap-0.5" aria-label="Recent status changes">
                {history.slice(-12).map((h) => (
                  <span
                    key={h.seq}
                    title={`${h.status} at ${new Date(h.ts).toLocaleString()}`}
                    className={`h-3 w-1.5 rounded-sm ${TONE_DOT[toneOf(h.status)]}`}
                  />
                ))}
              </span>
            </div>
          </Card>
        );
      })}
    </div>
  );
}
