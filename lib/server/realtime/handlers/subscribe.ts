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
  // Checked before any join, so a refused request changes nothing. INVALID_MESSAGE rather
  // than RATE_LIMIT_EXCEEDED: waiting does not help (only unsubscribing does), and the
  // client library retries retryable codes but fails the room on this one.
  const held = ctx.socket.rooms.size - 1; // every socket is in its own room
  const adding = new Set(rooms.map(({ room }) => room).filter((room) => !ctx.socket.rooms.has(room))).size;
  if (held + adding > ctx.maxSubscriptionsPerSocket) {
    throw new OpsroomError(
      'INVALID_MESSAGE',
      `A connection may hold at most ${ctx.maxSubscriptionsPerSocket} subscriptions (it holds ${held}); unsubscribe first or open another connection.`,
      { limit: ctx.maxSubscriptionsPerSocket, held },
    );
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
