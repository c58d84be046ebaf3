import { OpsroomError } from '@/lib/shared/errors';
import { parseRoom, type ParsedRoom } from '@/lib/shared/rooms';
import { canAccessRoom } from '../auth/access';
import type { Principal } from '../auth/principal';

/** The :room path segment, decoded, parsed and checked for read access. */
export function readableRoom(principal: Principal, raw: string): ParsedRoom {
  let name = raw;
  try {
    name = decodeURIComponent(raw);
  } catch {
    throw new OpsroomError('UNKNOWN_ROOM', 'Room name is not valid URL encoding.');
  }
  const room = parseRoom(name);
  if (room === null) throw new OpsroomError('UNKNOWN_ROOM', `"${name.slice(0, 80)}" is not a room.`);
  if (!canAccessRoom(principal, 'read', room))
    throw new OpsroomError('FORBIDDEN', `You may not read ${name}.`);
  return room;
}
