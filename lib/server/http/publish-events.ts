/**
 * POST /api/events (PROTOCOL.md section 3): one event or {events:[...]} (1-100); 202 only
 * after the store committed them all. Served by the HTTP server directly (direct-routes.ts),
 * not through Next: it is the hot path of every publisher.
 */
import { publishRequestSchema } from '@/lib/shared/envelope';
import { OpsroomError } from '@/lib/shared/errors';
import { zodDetails } from '@/lib/shared/validate-event';
import { enforcePublishRate } from '../limits/publish-rate';
import type { Runtime } from '../runtime';
import type { DirectRequest } from './direct-request';
import { parseJsonBytes } from './read-json';
import { requirePrincipal } from './request-auth';
import { jsonReply, type JsonReply } from './respond';

export async function publishEvents(runtime: Runtime, request: DirectRequest): Promise<JsonReply> {
  const principal = await requirePrincipal(runtime, request);
  if (principal.kind === 'user' && principal.user.role === 'viewer') {
    throw new OpsroomError('FORBIDDEN', 'Viewers cannot publish; ask an admin for the operator role.');
  }
  if (principal.kind === 'token' && !principal.token.scopes.includes('publish')) {
    throw new OpsroomError('FORBIDDEN', 'This API token lacks the publish scope.');
  }
  const body = parseJsonBytes(await request.body(runtime.config.limits.maxBodyBytes));
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
  return jsonReply({ accepted }, 202);
}
