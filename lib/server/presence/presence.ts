/**
 * Presence: who watches a room. A user with several tabs is one member with a connection
 * count; a leave is delayed (3 s) so a reload does not show as leave + join. Backends sit
 * behind this interface (memory now; Redis for several instances).
 */
import type { PresenceMember } from '@/lib/shared/socket-events';

export interface PresenceIdentity {
  userId: string;
  name: string;
}

export interface Presence {
  join(room: string, who: PresenceIdentity, connectionId: string): void;
  leave(room: string, connectionId: string): void;
  members(room: string): PresenceMember[];
  /** Redis presence removes this instance's entries before resolving. */
  close(): void | Promise<void>;
}

/** Told that a room's members changed; reads them with `members(room)` when it needs them. */
export type PresenceListener = (room: string) => void;

export const LEAVE_DELAY_MS = 3000;
