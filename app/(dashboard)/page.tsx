import { Overview } from '@/components/overview/overview';
import { getRuntime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Overview · Opsroom' };

export default async function OverviewPage() {
  const projects = await getRuntime().store.listProjects();
  return <Overview initialProjects={projects} />;
}
