import { createUserRequestSchema } from '@/lib/shared/account-schemas';
import { actorOf, recordAudit } from '@/lib/server/audit';
import { requestClientIp } from '@/lib/server/limits/client-ip';
import { parseBody } from '@/lib/server/http/parse-body';
import { requireAdmin } from '@/lib/server/http/request-auth';
import { json } from '@/lib/server/http/respond';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(async (runtime, request) => {
  await requireAdmin(runtime, request, 'manage-users');
  return json({ users: await runtime.store.listUsers() });
});

export const POST = route(async (runtime, request) => {
  const admin = await requireAdmin(runtime, request, 'manage-users');
  const input = await parseBody(runtime, request, createUserRequestSchema);
  const user = await runtime.auth.createUser(input);
  runtime.logger.info({ userId: user.id, role: user.role, by: admin.user.id }, 'user created');
  await recordAudit(runtime.store, runtime.logger, {
    actor: actorOf(admin),
    action: 'user.create',
    target: `user:${user.id} (${user.email})`,
    ip: requestClientIp(request),
    details: { role: user.role },
  });
  return json({ user }, 201);
});
