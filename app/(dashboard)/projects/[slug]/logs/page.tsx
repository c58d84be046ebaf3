import Link from 'next/link';
import { LogView } from '@/components/logs/log-view';
import { EmptyState, curlExample } from '@/components/ui/empty-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { getRuntime } from '@/lib/server/runtime';
import { SLUG_PATTERN, logsRoom } from '@/lib/shared/rooms';

/** Log streams of the project on the left, the selected stream's live tail on the right. */
export default async function LogsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ stream?: string | string[] }>;
}) {
  const { slug } = await params;
  const requested = (await searchParams).stream;
  const streams = await getRuntime().store.listLogStreams(slug);
  const stream =
    typeof requested === 'string' && SLUG_PATTERN.test(requested) ? requested : streams[0]?.stream;
  if (stream === undefined) {
    return (
      <EmptyState
        title="No log streams yet"
        example={curlExample(logsRoom(slug, 'api'), 'logs:stream', {
          stream: 'api',
          lines: [{ ts: new Date().toISOString(), text: 'hello from api', level: 'info' }],
        })}
      >
        A stream appears with its first <code>logs:stream</code> event (or run a command through{' '}
        <code>opsroom run</code>):
      </EmptyState>
    );
  }
  return (
    <div className="grid gap-4 lg:grid-cols-[220px_1fr]">
      <nav aria-label="Log streams" className="flex flex-col gap-1 text-sm">
        {streams.length === 0 && <span className="text-zinc-500">Waiting for the first line…</span>}
        {streams.map((s) => (
          <Link
            key={s.stream}
            href={`/projects/${slug}/logs?stream=${encodeURIComponent(s.stream)}`}
            aria-current={s.stream === stream ? 'page' : undefined}
            className={`flex flex-col rounded-md px-2.5 py-1.5 ${s.stream === stream ? 'bg-zinc-200/70 dark:bg-zinc-800' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800/60'}`}
          >
            <span className="truncate font-mono">{s.stream}</span>
            <span className="text-xs text-zinc-500">
              <RelativeTime ts={s.lastEventAt} />
            </span>
          </Link>
        ))}
      </nav>
      <LogView key={stream} project={slug} stream={stream} />
    </div>
  );
}
