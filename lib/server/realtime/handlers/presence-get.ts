import { OpsroomError } from '@/lib/shared/errors';
import { parseRoom } from '@/lib/shared/rooms';
import type { PresenceMember } from '@/lib/shared/socket-events';
import { presenceGetRequestSchema } from '@/lib/shared/socket-requests';
import { canAccessRoom } from '../../auth/access';
import type { HandlerContext } from '../types';
import { parseRequest } from './parse-request';

export async function handlePresenceGet(
  ctx: HandlerContext,
  request: unknown,
): Promise<{ members: PresenceMember[] }> {
  const { room } = parseRequest(presenceGetRequestSchema, request);
  const parsed = parseRoom(room);
  if (parsed === null) throw new OpsroomError('UNKNOWN_ROOM', `"${room.slice(0, 80)}" is not a room.`);
  if (!canAccessRoom(ctx.socket.data.principal, 'read', parsed)) {
    throw new OpsroomError('FORBIDDEN', `You may not see who watches ${room}.`);
  }
  return { members: ctx.presence.members(room) };
}
