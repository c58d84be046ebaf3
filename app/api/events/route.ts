import { publishRequestSchema } from '@/lib/shared/envelope';
import { OpsroomError } from '@/lib/shared/errors';
import { zodDetails } from '@/lib/shared/validate-event';
import { readJson } from '@/lib/server/http/read-json';
import { requirePrincipal } from '@/lib/server/http/request-auth';
import { json } from '@/lib/server/http/respond';
import { enforcePublishRate } from '@/lib/server/limits/publish-rate';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** One event or {events:[...]} (1-100); 202 only after the store committed them all. */
export const POST = route(async (runtime, request) => {
  const principal = await requirePrincipal(runtime, request);
  if (principal.kind === 'user' && principal.user.role === 'viewer') {
    throw new OpsroomError('FORBIDDEN', 'Viewers cannot publish; ask an admin for the operator role.');
  }
  if (principal.kind === 'token' && !principal.token.scopes.includes('publish')) {
    throw new OpsroomError('FORBIDDEN', 'This API token lacks the publish scope.');
  }
  const body = await readJson(request, runtime.config.limits.maxBodyBytes);
  const parsed = publishRequestSchema.safeParse(body);
  if (!parsed.success) {
    throw new OpsroomError(
      'INVALID_MESSAGE',
      'Body must be one event {room, type, payload, id?} or {events: [...]} with 1-100 events.',
      zodDetails(parsed.error),
    );
  }
  // Validate the raw items, not zod's copies (see validateEvent on why copies are unsafe).
  const batch = (body as { events?: unknown }).events;
  const inputs: unknown[] = Array.isArray(batch) && Object.keys(body as object).length === 1 ? batch : [body];
  // Before validation, so a flood of invalid events spends the budget too.
  await enforcePublishRate(runtime.limits.publish, principal, inputs.length);
  const accepted = await runtime.realtime.hub.publish(inputs, principal, 'http');
  return json({ accepted }, 202);
});
