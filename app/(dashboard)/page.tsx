import { headers } from 'next/headers';
import { LogoutButton } from '@/components/auth/logout-button';
import { ConnectionIndicator } from '@/components/live/connection-indicator';
import { LiveEvents } from '@/components/live/live-events';
import { RealtimeProvider } from '@/components/providers/realtime-provider';
import { requirePageUser } from '@/lib/server/page-session';
import { getRuntime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

export default async function OverviewPage() {
  const principal = await requirePageUser('/');
  const projects = (await getRuntime().store.listProjects()).map((p) => p.slug);
  const host = (await headers()).get('host') ?? 'localhost:3000';
  return (
    <RealtimeProvider>
      <header className="flex items-center gap-4 border-b border-zinc-200 px-6 py-3 dark:border-zinc-800">
        <h1 className="text-lg font-semibold">Opsroom</h1>
        <ConnectionIndicator />
        <span className="ml-auto text-sm text-zinc-500">
          {principal.user.name} · {principal.user.role}
        </span>
        <LogoutButton />
      </header>
      <main className="mx-auto max-w-6xl p-6">
        <LiveEvents projects={projects} origin={`http://${host}`} />
      </main>
    </RealtimeProvider>
  );
}
