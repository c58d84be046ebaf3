import { loginRequestSchema } from '@/lib/shared/account-schemas';
import { parseBody } from '@/lib/server/http/parse-body';
import { json } from '@/lib/server/http/respond';
import { route } from '@/lib/server/http/route';
import { sessionCookie } from '@/lib/server/http/session-cookie';

export const dynamic = 'force-dynamic';

export const POST = route(async (runtime, request) => {
  const { email, password } = await parseBody(runtime, request, loginRequestSchema);
  const { user, cookieValue, expiresAt } = await runtime.auth.login(email, password);
  runtime.logger.info({ userId: user.id }, 'login');
  return json({ user }, 200, { 'set-cookie': sessionCookie(request, cookieValue, expiresAt) });
});
