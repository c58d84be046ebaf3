/**
 * Live sockets follow account changes: a revoked token, a deleted user or an ended session
 * disconnects (reason token_revoked); a changed role takes effect on the same socket at once
 * (a demoted operator can no longer publish; a user who lost a room leaves it). Sweeps run
 * after every account change on this instance and periodically, which also covers changes
 * made elsewhere (the CLI, another instance).
 */
import { parseRoom } from '@/lib/shared/rooms';
import { assertNever } from '@/lib/shared/assert-never';
import { canAccessRoom } from '../auth/access';
import type { AuthService } from '../auth/auth-service';
import type { Principal } from '../auth/principal';
import type { Logger } from '../logger';
import type { OpsroomServer, OpsroomSocket } from './types';

const keyOf = (principal: Principal): string => {
  switch (principal.kind) {
    case 'user':
      return `session:${principal.sessionIdHash}`;
    case 'token':
      return `token:${principal.token.hash}`;
    case 'system':
      return 'system';
    default:
      return assertNever(principal);
  }
};

async function current(auth: AuthService, principal: Principal): Promise<Principal | null> {
  switch (principal.kind) {
    case 'user':
      return auth.principalFromSessionHash(principal.sessionIdHash);
    case 'token':
      return auth.principalFromTokenHash(principal.token.hash);
    case 'system':
      return principal;
    default:
      return assertNever(principal);
  }
}

export function createPrincipalRefresher(options: {
  io: OpsroomServer;
  auth: AuthService;
  logger: Logger;
  disconnect: (socket: OpsroomSocket, message: string) => void;
}) {
  const { io, auth, logger, disconnect } = options;

  /** Re-checks the sockets whose principal matches (all by default). */
  async function refresh(filter: (principal: Principal) => boolean = () => true): Promise<void> {
    const fresh = new Map<string, Promise<Principal | null>>();
    const sockets = [...io.sockets.sockets.values()].filter((socket) => filter(socket.data.principal));
    for (const socket of sockets) {
      const principal = socket.data.principal;
      const key = keyOf(principal);
      let pending = fresh.get(key);
      if (pending === undefined) {
        pending = current(auth, principal);
        fresh.set(key, pending);
      }
      let next: Principal | null;
      try {
        next = await pending;
      } catch (error) {
        // Store down: keep everyone connected rather than evict on a transient failure.
        logger.warn({ err: error }, 'could not re-check a socket principal');
        continue;
      }
      if (!socket.connected) continue;
      if (next === null) {
        disconnect(
          socket,
          principal.kind === 'token' ? 'The API token was revoked.' : 'Your session ended; log in again.',
        );
        continue;
      }
      socket.data.principal = next;
      for (const room of socket.rooms) {
        if (room === socket.id) continue;
        const parsed = parseRoom(room);
        if (parsed === null || !canAccessRoom(next, 'read', parsed)) void socket.leave(room);
      }
    }
  }

  return { refresh };
}
