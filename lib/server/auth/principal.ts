/** Who is asking: a logged-in user (session cookie) or a machine (API token). */
import type { TokenScope } from '@/lib/shared/api-types';
import type { Role } from '@/lib/shared/socket-events';

export interface UserPrincipal {
  kind: 'user';
  user: { id: string; email: string; name: string; role: Role };
  sessionIdHash: string;
  expiresAt: string;
}

export interface TokenPrincipal {
  kind: 'token';
  token: { id: string; name: string; projects: string[]; scopes: TokenScope[] };
}

export type Principal = UserPrincipal | TokenPrincipal;

/** The `source` field of envelopes this principal publishes. */
export function sourceOf(principal: Principal): string {
  return principal.kind === 'user' ? `user:${principal.user.id}` : `token:${principal.token.name}`;
}

export function displayName(principal: Principal): string {
  return principal.kind === 'user' ? principal.user.name : principal.token.name;
}

/** Presence identity: users by id; tokens by token id (several CI jobs on one token are one member). */
export function memberId(principal: Principal): string {
  return principal.kind === 'user' ? principal.user.id : `token:${principal.token.id}`;
}
