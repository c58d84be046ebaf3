import { z } from 'zod';
import type { HistoryResponse } from '@/lib/shared/api-types';
import { OpsroomError } from '@/lib/shared/errors';
import { zodDetails } from '@/lib/shared/validate-event';
import { requirePrincipal } from '@/lib/server/http/request-auth';
import { json } from '@/lib/server/http/respond';
import { readableRoom } from '@/lib/server/http/room-param';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

const querySchema = z.object({
  since: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** Envelopes after `since`, oldest first; a since older than retained history starts at the oldest kept. */
export const GET = route<{ room: string }>(async (runtime, request, params) => {
  const principal = await requirePrincipal(runtime, request);
  const room = readableRoom(principal, params.room);
  const url = new URL(request.url);
  const query = querySchema.safeParse({
    since: url.searchParams.get('since') ?? undefined,
    limit: url.searchParams.get('limit') ?? undefined,
  });
  if (!query.success)
    throw new OpsroomError('INVALID_MESSAGE', 'since must be ≥ 0 and limit 1-1000.', zodDetails(query.error));
  const page = await runtime.store.since(room.room, query.data.since, query.data.limit);
  const body: HistoryResponse = { room: room.room, seq: page.seq, events: page.events };
  return json(body);
});
