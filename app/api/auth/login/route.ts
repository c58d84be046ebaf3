import { loginRequestSchema } from '@/lib/shared/account-schemas';
import { parseBody } from '@/lib/server/http/parse-body';
import { json } from '@/lib/server/http/respond';
import { route } from '@/lib/server/http/route';
import { sessionCookie } from '@/lib/server/http/session-cookie';
import { requestClientIp } from '@/lib/server/limits/client-ip';
import { withLoginAttempt } from '@/lib/server/limits/login-attempts';

export const dynamic = 'force-dynamic';

export const POST = route(async (runtime, request) => {
  // Malformed bodies count as attempts too: the limit is the first thing a flood meets.
  const { user, cookieValue, expiresAt } = await withLoginAttempt(
    runtime.limits.login,
    requestClientIp(request),
    async () => {
      const { email, password } = await parseBody(runtime, request, loginRequestSchema);
      return runtime.auth.login(email, password);
    },
  );
  runtime.logger.info({ userId: user.id }, 'login');
  return json({ user }, 200, { 'set-cookie': sessionCookie(request, cookieValue, expiresAt) });
});
