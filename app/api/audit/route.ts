import { z } from 'zod';
import { OpsroomError } from '@/lib/shared/errors';
import { zodDetails } from '@/lib/shared/validate-event';
import { requireAdmin } from '@/lib/server/http/request-auth';
import { json } from '@/lib/server/http/respond';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().positive().optional(),
});

/** The audit log, newest first; page back with `before=<id of the last entry>`. */
export const GET = route(async (runtime, request) => {
  await requireAdmin(runtime, request, 'audit');
  const url = new URL(request.url);
  const query = querySchema.safeParse({
    limit: url.searchParams.get('limit') ?? undefined,
    before: url.searchParams.get('before') ?? undefined,
  });
  if (!query.success)
    throw new OpsroomError(
      'INVALID_MESSAGE',
      'limit must be 1-500 and before a positive id.',
      zodDetails(query.error),
    );
  const entries = await runtime.store.listAudit({
    limit: query.data.limit,
    ...(query.data.before !== undefined && { before: query.data.before }),
  });
  return json({ entries });
});
