import { unsubscribeRequestSchema } from '@/lib/shared/socket-requests';
import type { HandlerContext } from '../types';
import { parseRequest } from './parse-request';

export async function handleUnsubscribe(ctx: HandlerContext, request: unknown): Promise<{ rooms: string[] }> {
  const { rooms } = parseRequest(unsubscribeRequestSchema, request);
  const left: string[] = [];
  for (const room of rooms) {
    if (!ctx.socket.rooms.has(room) || room === ctx.socket.id) continue;
    await ctx.socket.leave(room);
    ctx.presence.leave(room, ctx.socket.id);
    left.push(room);
  }
  return { rooms: left };
}
