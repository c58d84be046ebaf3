/**
 * The authorization matrix in one place: which principal may do what to which room.
 * HTTP routes and socket handlers both ask `can`; nothing else decides access.
 */
import { assertNever } from '@/lib/shared/assert-never';
import type { ParsedRoom } from '@/lib/shared/rooms';
import type { Principal, TokenPrincipal } from './principal';

export type RoomAction = 'read' | 'publish';
export type AdminAction = 'stats' | 'metrics' | 'manage-users' | 'manage-tokens' | 'audit';

function tokenCovers(principal: TokenPrincipal, project: string): boolean {
  return principal.token.projects.includes('*') || principal.token.projects.includes(project);
}

/** read = subscribe, history, snapshot, presence. publish = store and fan out an event. */
export function canAccessRoom(principal: Principal, action: RoomAction, room: ParsedRoom): boolean {
  // Opsroom's own reporter publishes into project:opsroom, its log room and system.
  if (principal.kind === 'system') return true;
  if (principal.kind === 'token') {
    if (!principal.token.scopes.includes(action)) return false;
    switch (room.kind) {
      case 'project':
      case 'logs':
        return tokenCovers(principal, room.project);
      case 'user':
      case 'system':
        return false;
      default:
        return assertNever(room);
    }
  }
  const { role, id } = principal.user;
  switch (room.kind) {
    case 'project':
    case 'logs':
      return action === 'read' || role === 'operator' || role === 'admin';
    case 'user':
      return action === 'read' ? room.userId === id : role === 'admin';
    case 'system':
      return role === 'admin';
    default:
      return assertNever(room);
  }
}

export function canAdmin(principal: Principal | null, _action: AdminAction): boolean {
  if (principal === null) return false;
  switch (principal.kind) {
    case 'user':
      return principal.user.role === 'admin';
    case 'token':
      return false;
    case 'system':
      return true;
    default:
      return assertNever(principal);
  }
}

/** Projects listing: any user, or a token with read on at least one project. */
export function canListProjects(principal: Principal): boolean {
  switch (principal.kind) {
    case 'user':
    case 'system':
      return true;
    case 'token':
      return principal.token.scopes.includes('read');
    default:
      return assertNever(principal);
  }
}

export function visibleProjects(principal: Principal, slugs: string[]): string[] {
  switch (principal.kind) {
    case 'user':
    case 'system':
      return slugs;
    case 'token':
      return slugs.filter((slug) => tokenCovers(principal, slug));
    default:
      return assertNever(principal);
  }
}
