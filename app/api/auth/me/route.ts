import { requirePrincipal } from '@/lib/server/http/request-auth';
import { json } from '@/lib/server/http/respond';
import { route } from '@/lib/server/http/route';
import { assertNever } from '@/lib/shared/assert-never';

export const dynamic = 'force-dynamic';

export const GET = route(async (runtime, request) => {
  const principal = await requirePrincipal(runtime, request);
  switch (principal.kind) {
    case 'token': {
      const { id, name, projects, scopes } = principal.token;
      return json({ token: { id, name, projects, scopes } });
    }
    case 'user':
      return json({ user: principal.user, expiresAt: principal.expiresAt });
    case 'system':
      // Unreachable over HTTP (authentication never yields it); answered for exhaustiveness.
      return json({ system: { name: principal.name } });
    default:
      return assertNever(principal);
  }
});
