'use client';

import Link from 'next/link';
import { useCombinedActivity } from '@/hooks/use-combined-activity';
import { parseRoom } from '@/lib/shared/rooms';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusBadge } from '@/components/ui/status-badge';
import { describeEvent } from './describe-event';

/** The newest events of every project, merged; new ones slide in at the top. */
export function ActivityFeed({ slugs }: { slugs: string[] }) {
  const activity = useCombinedActivity(slugs);
  if (activity.length === 0)
    return <p className="text-sm text-zinc-500">Events will appear here as they happen.</p>;
  return (
    <ol
      className="flex flex-col divide-y divide-zinc-100 dark:divide-zinc-800"
      aria-label="Recent activity"
      data-testid="activity-feed"
    >
      {activity.map((event) => {
        const { subject, status, detail } = describeEvent(event);
        const room = parseRoom(event.room);
        const project = room?.kind === 'project' ? room.project : null;
        return (
          <li key={`${event.room}:${event.seq}`} className="flex items-center gap-2 py-1.5 text-sm">
            <span className="w-8 shrink-0 text-right text-xs text-zinc-500 tabular-nums">
              <RelativeTime ts={event.ts} compact />
            </span>
            {project && (
              <Link href={`/projects/${project}`} className="shrink-0 font-medium hover:underline">
                {project}
              </Link>
            )}
            <span className="truncate">{subject}</span>
            {status && <StatusBadge status={status} />}
            <span className="truncate text-xs text-zinc-500">{detail}</span>
          </li>
        );
      })}
    </ol>
  );
}
