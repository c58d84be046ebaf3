import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { PresenceAvatars } from '@/components/presence/presence-avatars';
import { ProjectTabs } from '@/components/project/project-tabs';
import { SLUG_PATTERN, projectRoom } from '@/lib/shared/rooms';

export default async function ProjectLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const { slug } = await params;
  if (!SLUG_PATTERN.test(slug)) notFound();
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold tracking-tight">{slug}</h1>
        <div className="ml-auto flex items-center gap-2 text-xs text-zinc-500">
          <span>Watching now</span>
          <PresenceAvatars room={projectRoom(slug)} />
        </div>
      </div>
      <ProjectTabs slug={slug} />
      <div>{children}</div>
    </div>
  );
}
