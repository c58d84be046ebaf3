import { requireAdmin } from '@/lib/server/http/request-auth';
import { json } from '@/lib/server/http/respond';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(async (runtime, request) => {
  await requireAdmin(runtime, request, 'stats');
  return json(runtime.realtime.stats());
});
