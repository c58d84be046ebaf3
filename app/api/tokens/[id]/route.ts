import { OpsroomError } from '@/lib/shared/errors';
import { requireAdmin } from '@/lib/server/http/request-auth';
import { json } from '@/lib/server/http/respond';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** Revokes the token and disconnects its live sockets with reason token_revoked. */
export const DELETE = route<{ id: string }>(async (runtime, request, { id }) => {
  const admin = await requireAdmin(runtime, request, 'manage-tokens');
  if (!(await runtime.store.revokeToken(id))) throw new OpsroomError('NOT_FOUND', 'No such token.');
  const disconnected = runtime.realtime.disconnectWhere(
    (p) => p.kind === 'token' && p.token.id === id,
    'token_revoked',
    'The API token was revoked.',
  );
  runtime.logger.info({ tokenId: id, by: admin.user.id, disconnected }, 'token revoked');
  return json({ id, revoked: true });
});
