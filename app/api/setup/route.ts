import { setupRequestSchema } from '@/lib/shared/account-schemas';
import { OpsroomError } from '@/lib/shared/errors';
import { recordAudit } from '@/lib/server/audit';
import { requestClientIp } from '@/lib/server/limits/client-ip';
import { parseBody } from '@/lib/server/http/parse-body';
import { assertSameOrigin } from '@/lib/server/http/request-auth';
import { json } from '@/lib/server/http/respond';
import { route } from '@/lib/server/http/route';
import { sessionCookie } from '@/lib/server/http/session-cookie';

export const dynamic = 'force-dynamic';

/** GET: whether setup is needed. POST: creates the first admin (only while no user exists) and logs in. */
export const GET = route(async (runtime) => json({ needed: (await runtime.store.countUsers()) === 0 }));

export const POST = route(async (runtime, request) => {
  assertSameOrigin(runtime, request);
  if ((await runtime.store.countUsers()) > 0)
    throw new OpsroomError('CONFLICT', 'Opsroom is already set up; log in.');
  const input = await parseBody(runtime, request, setupRequestSchema);
  await runtime.auth.createUser({ ...input, role: 'admin' });
  const { user, cookieValue, expiresAt } = await runtime.auth.login(input.email, input.password);
  await recordAudit(runtime.store, runtime.logger, {
    actor: `user:${user.id} (${user.email})`,
    action: 'setup',
    target: `user:${user.id}`,
    ip: requestClientIp(request),
  });
  return json({ user }, 201, { 'set-cookie': sessionCookie(request, cookieValue, expiresAt) });
});
