/**
 * POST /api/webhooks/github behind the route: verify, dedupe, map, publish. Deliveries
 * become `runner:status` and `workflow:update` events in the repository's project, published
 * through the hub as Opsroom itself, so they are stored, batched and resumable like any event.
 *
 * Repeated deliveries (GitHub retries and manual redeliveries reuse X-GitHub-Delivery) are
 * caught twice: the store records each handled delivery id for a week, and the events' ids
 * derive from the delivery id, so a redelivery racing its original (both past the record
 * check) is still stored once by the store's idempotent append.
 */
import type { AcceptedEvent } from '@/lib/shared/api-types';
import type { Envelope } from '@/lib/shared/envelope';
import { OpsroomError } from '@/lib/shared/errors';
import type { z } from 'zod';
import { runnerStatusSchema, workflowUpdateSchema } from '@/lib/shared/events';
import { projectRoom } from '@/lib/shared/rooms';
import { zodDetails } from '@/lib/shared/validate-event';
import { runnerStatus, workflowUpdate, type OutgoingEvent } from '@/lib/sdk/events';
import { SYSTEM_PRINCIPAL } from '../../auth/principal';
import type { Hub } from '../../hub/hub';
import { parseJsonBytes } from '../../http/read-json';
import type { Logger } from '../../logger';
import type { Store } from '../../store/store';
import { fitRunPayload } from './fit-run-payload';
import { createKeyedQueue } from './keyed-queue';
import { mapWorkflowJob, runnerIdOf, type CurrentState } from './map-workflow-job';
import { mapWorkflowRun } from './map-workflow-run';
import {
  deliveryHeadersSchema,
  pingDeliverySchema,
  workflowJobDeliverySchema,
  workflowRunDeliverySchema,
  type DeliveryHeaders,
} from './payloads';
import { projectForRepository } from './project-map';
import { SIGNATURE_HEADER, verifySignature } from './signature';

/** The `source` under which delivery ids are recorded in the store. */
export const DELIVERY_SOURCE = 'github';

export type WebhookOutcome =
  | { kind: 'pong'; delivery: string; zen: string | null }
  | { kind: 'duplicate'; delivery: string }
  | { kind: 'ignored'; delivery: string; event: string; reason: string }
  | { kind: 'accepted'; delivery: string; event: string; project: string; accepted: AcceptedEvent[] };

export interface GithubWebhookOptions {
  secret: string;
  /** OPSROOM_GITHUB_PROJECTS: lower-case `owner/repo` -> project slug. */
  projects: Readonly<Record<string, string>>;
  /** OPSROOM_MAX_PAYLOAD_BYTES: a run's jobs and steps are trimmed to fit it. */
  maxPayloadBytes: number;
  hub: Pick<Hub, 'publish'>;
  store: Pick<Store, 'snapshot' | 'hasWebhookDelivery' | 'recordWebhookDelivery'>;
  logger: Logger;
}

export type GithubWebhooks = ReturnType<typeof createGithubWebhooks>;

export function createGithubWebhooks({
  secret,
  projects,
  maxPayloadBytes,
  hub,
  store,
  logger,
}: GithubWebhookOptions) {
  const log = logger.child({ module: 'github-webhooks' });
  // Per-run serialization of read-merge-publish (see keyed-queue.ts for why and its limit).
  const runQueue = createKeyedQueue();

  function parsePayload<S extends z.ZodType>(event: string, schema: S, payload: unknown): z.output<S> {
    const result = schema.safeParse(payload);
    if (!result.success) {
      throw new OpsroomError(
        'INVALID_MESSAGE',
        `The ${event} payload is not valid.`,
        zodDetails(result.error),
      );
    }
    return result.data;
  }

  /** The run's and the runner's current state, from the project room's snapshot. */
  async function currentState(
    project: string,
    runId: string,
    runnerId: string | null,
  ): Promise<CurrentState> {
    const { snapshot } = await store.snapshot(projectRoom(project));
    const latest = (type: string, field: string, value: string | null): Envelope | undefined =>
      value === null
        ? undefined
        : snapshot.find((envelope) => envelope.type === type && String(envelope.payload[field]) === value);
    // Stored payloads were validated on the way in; parsed again so the types are earned.
    const run = workflowUpdateSchema.safeParse(latest('workflow:update', 'runId', runId)?.payload);
    const runner = runnerStatusSchema.safeParse(latest('runner:status', 'runnerId', runnerId)?.payload);
    return {
      run: run.success ? run.data : null,
      runner: runner.success ? runner.data : null,
    };
  }

  async function publish(
    headers: DeliveryHeaders,
    project: string,
    events: OutgoingEvent[],
  ): Promise<WebhookOutcome> {
    const accepted = await hub.publish(events, SYSTEM_PRINCIPAL, 'internal');
    log.info(
      { delivery: headers.delivery, event: headers.event, project, events: accepted.length },
      'delivery',
    );
    return { kind: 'accepted', delivery: headers.delivery, event: headers.event, project, accepted };
  }

  async function onWorkflowJob(headers: DeliveryHeaders, payload: unknown): Promise<WebhookOutcome> {
    const delivery = parsePayload(headers.event, workflowJobDeliverySchema, payload);
    const project = projectForRepository(
      { name: delivery.repository.name, fullName: delivery.repository.full_name },
      projects,
    );
    const runId = String(delivery.workflow_job.run_id);
    return runQueue.run(`${project}\n${runId}`, async () => {
      const state = await currentState(project, runId, runnerIdOf(delivery.workflow_job));
      const mapped = mapWorkflowJob(delivery, state);
      if (mapped.kind === 'ignored') return ignored(headers, mapped.reason);
      const events: OutgoingEvent[] = [
        {
          ...workflowUpdate(
            project,
            fitRunPayload(mapped.run, maxPayloadBytes, String(delivery.workflow_job.id)),
          ),
          id: `github:${headers.delivery}:workflow`,
        },
      ];
      if (mapped.runner !== null) {
        events.push({ ...runnerStatus(project, mapped.runner), id: `github:${headers.delivery}:runner` });
      }
      return publish(headers, project, events);
    });
  }

  async function onWorkflowRun(headers: DeliveryHeaders, payload: unknown): Promise<WebhookOutcome> {
    const delivery = parsePayload(headers.event, workflowRunDeliverySchema, payload);
    const project = projectForRepository(
      { name: delivery.repository.name, fullName: delivery.repository.full_name },
      projects,
    );
    const runId = String(delivery.workflow_run.id);
    return runQueue.run(`${project}\n${runId}`, async () => {
      const state = await currentState(project, runId, null);
      const mapped = mapWorkflowRun(delivery, state.run);
      if (mapped.kind === 'ignored') return ignored(headers, mapped.reason);
      return publish(headers, project, [
        {
          ...workflowUpdate(project, fitRunPayload(mapped.run, maxPayloadBytes, null)),
          id: `github:${headers.delivery}:workflow`,
        },
      ]);
    });
  }

  function ignored(headers: DeliveryHeaders, reason: string): WebhookOutcome {
    log.debug({ delivery: headers.delivery, event: headers.event, reason }, 'delivery ignored');
    return { kind: 'ignored', delivery: headers.delivery, event: headers.event, reason };
  }

  async function dispatch(headers: DeliveryHeaders, payload: unknown): Promise<WebhookOutcome> {
    switch (headers.event) {
      case 'ping': {
        const ping = pingDeliverySchema.safeParse(payload);
        log.info({ delivery: headers.delivery, hookId: ping.data?.hook_id }, 'ping');
        return { kind: 'pong', delivery: headers.delivery, zen: ping.data?.zen ?? null };
      }
      case 'workflow_job':
        return onWorkflowJob(headers, payload);
      case 'workflow_run':
        return onWorkflowRun(headers, payload);
      default:
        return ignored(headers, `${headers.event} events are not used`);
    }
  }

  return {
    /** Handles one delivery: its headers and the exact body bytes GitHub signed. */
    async receive(requestHeaders: Headers, body: Uint8Array): Promise<WebhookOutcome> {
      // First, before the body is parsed or anything is stored or looked up.
      if (!verifySignature(secret, body, requestHeaders.get(SIGNATURE_HEADER))) {
        log.warn(
          { delivery: requestHeaders.get('x-github-delivery')?.slice(0, 100) ?? null },
          'delivery refused: bad signature',
        );
        throw new OpsroomError(
          'UNAUTHORIZED',
          'X-Hub-Signature-256 is missing or does not match this body signed with the webhook secret.',
        );
      }
      const headers = deliveryHeadersSchema.safeParse({
        event: requestHeaders.get('x-github-event'),
        delivery: requestHeaders.get('x-github-delivery'),
      });
      if (!headers.success) {
        throw new OpsroomError(
          'INVALID_MESSAGE',
          'X-GitHub-Event and X-GitHub-Delivery headers are required.',
          zodDetails(headers.error),
        );
      }
      const payload = parseJsonBytes(body);
      if (await store.hasWebhookDelivery(DELIVERY_SOURCE, headers.data.delivery)) {
        log.info({ delivery: headers.data.delivery, event: headers.data.event }, 'repeated delivery ignored');
        return { kind: 'duplicate', delivery: headers.data.delivery };
      }
      const outcome = await dispatch(headers.data, payload);
      // Only once handled: a delivery that failed (store down) is processed when GitHub retries.
      await store.recordWebhookDelivery(DELIVERY_SOURCE, headers.data.delivery);
      return outcome;
    },
  };
}
