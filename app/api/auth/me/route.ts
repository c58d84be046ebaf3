import { requirePrincipal } from '@/lib/server/http/request-auth';
import { json } from '@/lib/server/http/respond';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(async (runtime, request) => {
  const principal = await requirePrincipal(runtime, request);
  if (principal.kind === 'token') return json({ token: principal.token });
  return json({ user: principal.user, expiresAt: principal.expiresAt });
});
