import { OpsroomError } from '@/lib/shared/errors';
import { actorOf, recordAudit } from '@/lib/server/audit';
import { requestClientIp } from '@/lib/server/limits/client-ip';
import { requireAdmin } from '@/lib/server/http/request-auth';
import { json } from '@/lib/server/http/respond';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** Revokes the token and disconnects its live sockets with reason token_revoked. */
export const DELETE = route<{ id: string }>(async (runtime, request, { id }) => {
  const admin = await requireAdmin(runtime, request, 'manage-tokens');
  if (!(await runtime.store.revokeToken(id))) throw new OpsroomError('NOT_FOUND', 'No such token.');
  await runtime.realtime.refreshPrincipals((p) => p.kind === 'token' && p.token.id === id);
  runtime.logger.info({ tokenId: id, by: admin.user.id }, 'token revoked');
  await recordAudit(runtime.store, runtime.logger, {
    actor: actorOf(admin),
    action: 'token.revoke',
    target: `token:${id}`,
    ip: requestClientIp(request),
  });
  return json({ id, revoked: true });
});
