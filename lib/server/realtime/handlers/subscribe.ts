/**
 * subscribe {rooms:[{room, since?}]}. The socket joins each room BEFORE history is read:
 * an event emitted after the join reaches the socket live, one emitted before it is already
 * in the store, so the reply plus the live stream never leave a gap (the client dedupes the
 * overlap by seq).
 */
import { OpsroomError } from '@/lib/shared/errors';
import { parseRoom } from '@/lib/shared/rooms';
import type { RoomSubscription } from '@/lib/shared/socket-events';
import { subscribeRequestSchema } from '@/lib/shared/socket-requests';
import { canAccessRoom } from '../../auth/access';
import { displayName, memberId } from '../../auth/principal';
import type { HandlerContext } from '../types';
import { parseRequest } from './parse-request';

export async function handleSubscribe(
  ctx: HandlerContext,
  request: unknown,
): Promise<{ rooms: RoomSubscription[] }> {
  const { rooms } = parseRequest(subscribeRequestSchema, request);
  const principal = ctx.socket.data.principal;
  for (const { room } of rooms) {
    const parsed = parseRoom(room);
    if (parsed === null) throw new OpsroomError('UNKNOWN_ROOM', `"${room.slice(0, 80)}" is not a room.`);
    if (!canAccessRoom(principal, 'read', parsed))
      throw new OpsroomError('FORBIDDEN', `You may not subscribe to ${room}.`);
  }
  const replies: RoomSubscription[] = [];
  for (const { room, since } of rooms) {
    const alreadyIn = ctx.socket.rooms.has(room);
    await ctx.socket.join(room);
    if (!alreadyIn && room.startsWith('project:')) {
      ctx.presence.join(room, { userId: memberId(principal), name: displayName(principal) }, ctx.socket.id);
    }
    if (since === undefined) {
      const { seq, snapshot } = await ctx.store.snapshot(room);
      replies.push({ room, seq, snapshot, events: [], reset: false });
      continue;
    }
    const page = await ctx.store.since(room, since, ctx.historyMaxEvents);
    if (page.reset) {
      const { seq, snapshot } = await ctx.store.snapshot(room);
      replies.push({ room, seq, snapshot, events: [], reset: true });
    } else {
      replies.push({ room, seq: page.seq, snapshot: [], events: page.events, reset: false });
    }
  }
  return { rooms: replies };
}
