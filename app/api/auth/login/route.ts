import { loginRequestSchema } from '@/lib/shared/account-schemas';
import { isOpsroomError } from '@/lib/shared/errors';
import { recordAudit } from '@/lib/server/audit';
import { parseBody } from '@/lib/server/http/parse-body';
import { json } from '@/lib/server/http/respond';
import { route } from '@/lib/server/http/route';
import { sessionCookie } from '@/lib/server/http/session-cookie';
import { requestClientIp } from '@/lib/server/limits/client-ip';
import { withLoginAttempt } from '@/lib/server/limits/login-attempts';

export const dynamic = 'force-dynamic';

export const POST = route(async (runtime, request) => {
  const ip = requestClientIp(request);
  // Malformed bodies count as attempts too: the limit is the first thing a flood meets.
  const { user, cookieValue, expiresAt } = await withLoginAttempt(runtime.limits.login, ip, async () => {
    const { email, password } = await parseBody(runtime, request, loginRequestSchema);
    try {
      return await runtime.auth.login(email, password);
    } catch (error) {
      if (isOpsroomError(error) && error.code === 'UNAUTHORIZED') {
        // The email tried, as typed (bounded): who is being guessed at is the point of the entry.
        await recordAudit(runtime.store, runtime.logger, {
          actor: email.slice(0, 320),
          action: 'login.failed',
          ip,
        });
      }
      throw error;
    }
  });
  await recordAudit(runtime.store, runtime.logger, {
    actor: `user:${user.id} (${user.email})`,
    action: 'login.ok',
    target: `user:${user.id}`,
    ip,
  });
  runtime.logger.info({ userId: user.id }, 'login');
  return json({ user }, 200, { 'set-cookie': sessionCookie(request, cookieValue, expiresAt) });
});
