/**
 * Who is asking: a logged-in user (session cookie), a machine (API token), or Opsroom itself
 * (the self-reporter publishing its own health, stats and logs; never arrives over the wire).
 */
import type { TokenScope } from '@/lib/shared/api-types';
import { assertNever } from '@/lib/shared/assert-never';
import type { Role } from '@/lib/shared/socket-events';

export interface UserPrincipal {
  kind: 'user';
  user: { id: string; email: string; name: string; role: Role };
  sessionIdHash: string;
  expiresAt: string;
}

export interface TokenPrincipal {
  kind: 'token';
  /** `hash` (never the token itself) lets live sockets be re-checked against the store. */
  token: { id: string; name: string; projects: string[]; scopes: TokenScope[]; hash: string };
}

/** The server's own identity. Built in-process only; authentication never yields it. */
export interface SystemPrincipal {
  kind: 'system';
  name: 'opsroom';
}

export type Principal = UserPrincipal | TokenPrincipal | SystemPrincipal;

export const SYSTEM_PRINCIPAL: SystemPrincipal = { kind: 'system', name: 'opsroom' };

/** The `source` field of envelopes this principal publishes. */
export function sourceOf(principal: Principal): string {
  switch (principal.kind) {
    case 'user':
      return `user:${principal.user.id}`;
    case 'token':
      return `token:${principal.token.name}`;
    case 'system':
      return `system:${principal.name}`;
    default:
      return assertNever(principal);
  }
}

export function displayName(principal: Principal): string {
  switch (principal.kind) {
    case 'user':
      return principal.user.name;
    case 'token':
      return principal.token.name;
    case 'system':
      return principal.name;
    default:
      return assertNever(principal);
  }
}

/** Presence identity: users by id; tokens by token id (several CI jobs on one token are one member). */
export function memberId(principal: Principal): string {
  switch (principal.kind) {
    case 'user':
      return principal.user.id;
    case 'token':
      return `token:${principal.token.id}`;
    case 'system':
      return `system:${principal.name}`;
    default:
      return assertNever(principal);
  }
}
