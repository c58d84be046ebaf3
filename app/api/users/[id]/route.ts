import { updateUserRequestSchema } from '@/lib/shared/account-schemas';
import { OpsroomError } from '@/lib/shared/errors';
import { actorOf, recordAudit } from '@/lib/server/audit';
import { requestClientIp } from '@/lib/server/limits/client-ip';
import { hashPassword } from '@/lib/server/auth/passwords';
import { parseBody } from '@/lib/server/http/parse-body';
import { requireAdmin } from '@/lib/server/http/request-auth';
import { json } from '@/lib/server/http/respond';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

export const PATCH = route<{ id: string }>(async (runtime, request, { id }) => {
  const admin = await requireAdmin(runtime, request, 'manage-users');
  const input = await parseBody(runtime, request, updateUserRequestSchema);
  const user = await runtime.store.updateUser(id, {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.role !== undefined && { role: input.role }),
    ...(input.password !== undefined && { passwordHash: await hashPassword(input.password) }),
  });
  if (user === null) throw new OpsroomError('NOT_FOUND', 'No such user.');
  // A new password ends the user's sessions; a new role applies to live sockets at once.
  if (input.password !== undefined) await runtime.store.deleteUserSessions(id);
  await runtime.realtime.refreshPrincipals((p) => p.kind === 'user' && p.user.id === id);
  runtime.logger.info({ userId: id, by: admin.user.id }, 'user updated');
  await recordAudit(runtime.store, runtime.logger, {
    actor: actorOf(admin),
    action: 'user.update',
    target: `user:${id} (${user.email})`,
    ip: requestClientIp(request),
    details: {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.role !== undefined && { role: input.role }),
      ...(input.password !== undefined && { password: 'changed' }),
    },
  });
  return json({ user });
});

export const DELETE = route<{ id: string }>(async (runtime, request, { id }) => {
  const admin = await requireAdmin(runtime, request, 'manage-users');
  if (id === admin.user.id) throw new OpsroomError('CONFLICT', 'You cannot delete yourself.');
  if (!(await runtime.store.deleteUser(id))) throw new OpsroomError('NOT_FOUND', 'No such user.');
  await runtime.realtime.refreshPrincipals((p) => p.kind === 'user' && p.user.id === id);
  runtime.logger.info({ userId: id, by: admin.user.id }, 'user deleted');
  await recordAudit(runtime.store, runtime.logger, {
    actor: actorOf(admin),
    action: 'user.delete',
    target: `user:${id}`,
    ip: requestClientIp(request),
  });
  return json({ id, deleted: true });
});
