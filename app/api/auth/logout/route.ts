import { actorOf, recordAudit } from '@/lib/server/audit';
import { requestClientIp } from '@/lib/server/limits/client-ip';
import { requireUser } from '@/lib/server/http/request-auth';
import { json } from '@/lib/server/http/respond';
import { route } from '@/lib/server/http/route';
import { clearedSessionCookie } from '@/lib/server/http/session-cookie';

export const dynamic = 'force-dynamic';

export const POST = route(async (runtime, request) => {
  const principal = await requireUser(runtime, request);
  await runtime.auth.logout(principal);
  await runtime.realtime.refreshPrincipals(
    (p) => p.kind === 'user' && p.sessionIdHash === principal.sessionIdHash,
  );
  await recordAudit(runtime.store, runtime.logger, {
    actor: actorOf(principal),
    action: 'logout',
    ip: requestClientIp(request),
  });
  return json({ ok: true }, 200, { 'set-cookie': clearedSessionCookie() });
});
