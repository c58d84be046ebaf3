import { notFound } from 'next/navigation';
import { Connections } from '@/components/admin/connections';
import { requirePageUser } from '@/lib/server/page-session';
import { getRuntime } from '@/lib/server/runtime';
import { systemStatsPayload } from '@/lib/server/self-report/system-stats';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Connections · Opsroom' };

export default async function ConnectionsPage() {
  const { user } = await requirePageUser('/admin/connections');
  if (user.role !== 'admin') notFound();
  const runtime = getRuntime();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold tracking-tight">Connections</h1>
      <Connections
        initial={systemStatsPayload(runtime.realtime.stats(), runtime.startedAt, runtime.clock.now())}
      />
    </div>
  );
}
