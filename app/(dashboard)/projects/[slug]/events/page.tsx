import { headers } from 'next/headers';
import { LiveEvents } from '@/components/live/live-events';
import { getRuntime } from '@/lib/server/runtime';

/** Every event of the room as it arrives, including custom types the sections do not chart. */
export default async function EventsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const projects = (await getRuntime().store.listProjects()).map((p) => p.slug);
  const host = (await headers()).get('host') ?? 'localhost:3000';
  return <LiveEvents projects={projects} origin={`http://${host}`} initialRoom={`project:${slug}`} />;
}
