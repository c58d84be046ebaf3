import type { SnapshotResponse } from '@/lib/shared/api-types';
import { requirePrincipal } from '@/lib/server/http/request-auth';
import { json } from '@/lib/server/http/respond';
import { readableRoom } from '@/lib/server/http/room-param';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

export const GET = route<{ room: string }>(async (runtime, request, params) => {
  const principal = await requirePrincipal(runtime, request);
  const room = readableRoom(principal, params.room);
  const { seq, snapshot } = await runtime.store.snapshot(room.room);
  const body: SnapshotResponse = { room: room.room, seq, snapshot };
  return json(body);
});
