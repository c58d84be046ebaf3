/**
 * Authentication and CSRF for route handlers. Cookie-authenticated state changes must come
 * from an allowed Origin (PROTOCOL.md section 2); token requests need none.
 */
import { OpsroomError } from '@/lib/shared/errors';
import { canAdmin, type AdminAction } from '../auth/access';
import type { Principal, UserPrincipal } from '../auth/principal';
import { isAllowedOrigin } from '../realtime/origin';
import type { Runtime } from '../runtime';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What authentication reads of a request: a web Request, or a node:http one (direct-routes.ts). */
export interface RequestHead {
  method: string;
  headers: { get(name: string): string | null };
}

export async function authenticateRequest(runtime: Runtime, request: RequestHead): Promise<Principal | null> {
  const principal = await runtime.auth.authenticate({
    authorization: request.headers.get('authorization'),
    cookie: request.headers.get('cookie'),
  });
  if (principal?.kind === 'user' && !SAFE_METHODS.has(request.method)) assertSameOrigin(runtime, request);
  return principal;
}

export function assertSameOrigin(runtime: Runtime, request: RequestHead): void {
  const origin = request.headers.get('origin');
  const allowed = isAllowedOrigin(
    origin ?? '',
    { host: request.headers.get('host'), forwardedHost: request.headers.get('x-forwarded-host') },
    runtime.config.allowedOrigins,
  );
  // A browser always sends Origin on a cross-site POST; a missing one on a cookie request is refused too.
  if (origin === null || !allowed) {
    throw new OpsroomError('FORBIDDEN', 'Cross-site request refused: the Origin header must be this server.');
  }
}

export async function requirePrincipal(runtime: Runtime, request: RequestHead): Promise<Principal> {
  const principal = await authenticateRequest(runtime, request);
  if (principal === null)
    throw new OpsroomError('UNAUTHORIZED', 'Log in, or send Authorization: Bearer <token>.');
  return principal;
}

export async function requireUser(runtime: Runtime, request: RequestHead): Promise<UserPrincipal> {
  const principal = await requirePrincipal(runtime, request);
  if (principal.kind !== 'user')
    throw new OpsroomError('FORBIDDEN', 'This needs a logged-in user, not an API token.');
  return principal;
}

export async function requireAdmin(
  runtime: Runtime,
  request: RequestHead,
  action: AdminAction,
): Promise<UserPrincipal> {
  const principal = await requirePrincipal(runtime, request);
  if (!canAdmin(principal, action) || principal.kind !== 'user')
    throw new OpsroomError('FORBIDDEN', 'Admins only.');
  return principal;
}
