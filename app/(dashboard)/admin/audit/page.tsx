import { notFound } from 'next/navigation';
import { AuditLog } from '@/components/admin/audit-log';
import { requirePageUser } from '@/lib/server/page-session';
import { getRuntime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Audit log · Opsroom' };

export default async function AuditPage() {
  const { user } = await requirePageUser('/admin/audit');
  if (user.role !== 'admin') notFound();
  const entries = await getRuntime().store.listAudit({ limit: 100 });
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold tracking-tight">Audit log</h1>
      <AuditLog initial={entries} />
    </div>
  );
}
