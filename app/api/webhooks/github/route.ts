import { OpsroomError } from '@/lib/shared/errors';
import { readBody } from '@/lib/server/http/read-json';
import { json } from '@/lib/server/http/respond';
import { route } from '@/lib/server/http/route';
import type { WebhookOutcome } from '@/lib/server/integrations/github/receiver';
import { assertNever } from '@/lib/shared/assert-never';

export const dynamic = 'force-dynamic';

/**
 * GitHub webhook deliveries, authenticated by X-Hub-Signature-256 (no session or token).
 * 202 {delivery, event, project, accepted:[{id, room, seq}]} once the events are stored;
 * 202 {delivery, event, ignored:true, reason} for events and actions Opsroom does not use;
 * 200 {delivery, duplicate:true} for a delivery already handled; 200 {delivery, pong:true} for ping.
 */
export const POST = route(async (runtime, request) => {
  const webhooks = runtime.githubWebhooks;
  if (webhooks === null) {
    throw new OpsroomError(
      'NOT_FOUND',
      'GitHub webhooks are not enabled; set GITHUB_WEBHOOK_SECRET to the webhook secret to enable them.',
    );
  }
  const body = await readBody(request, runtime.config.limits.maxBodyBytes);
  return respond(await webhooks.receive(request.headers, body));
});

function respond(outcome: WebhookOutcome): Response {
  switch (outcome.kind) {
    case 'pong':
      return json({ delivery: outcome.delivery, pong: true, zen: outcome.zen });
    case 'duplicate':
      return json({ delivery: outcome.delivery, duplicate: true });
    case 'ignored':
      return json(
        { delivery: outcome.delivery, event: outcome.event, ignored: true, reason: outcome.reason },
        202,
      );
    case 'accepted':
      return json(
        {
          delivery: outcome.delivery,
          event: outcome.event,
          project: outcome.project,
          accepted: outcome.accepted,
        },
        202,
      );
    default:
      return assertNever(outcome);
  }
}
