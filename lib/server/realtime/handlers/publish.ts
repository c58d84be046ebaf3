import { OpsroomError } from '@/lib/shared/errors';
import type { HandlerContext } from '../types';

/** publish {room, type, payload, id?}: operators and admins (and publish tokens). */
export async function handlePublish(
  ctx: HandlerContext,
  request: unknown,
): Promise<{ id: string; seq: number }> {
  const principal = ctx.socket.data.principal;
  if (principal.kind === 'user' && principal.user.role === 'viewer') {
    throw new OpsroomError('FORBIDDEN', 'Viewers cannot publish; ask an admin for the operator role.');
  }
  const [accepted] = await ctx.hub.publish([request], principal, 'socket');
  if (accepted === undefined) throw new Error('publish returned no result');
  return { id: accepted.id, seq: accepted.seq };
}
