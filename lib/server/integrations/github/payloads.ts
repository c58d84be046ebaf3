/**
 * The parts of GitHub's webhook payloads Opsroom reads, as zod looseObjects: fields not
 * listed here are ignored, so GitHub adding fields never breaks a delivery
 * (https://docs.github.com/en/webhooks/webhook-events-and-payloads#workflow_job and #workflow_run).
 */
import { z } from 'zod';

/** Headers every delivery carries besides the signature. */
export const deliveryHeadersSchema = z.object({
  event: z.string().regex(/^[a-z_]{1,64}$/, 'X-GitHub-Event must name an event like workflow_job'),
  // Used inside event ids (EVENT_ID_PATTERN), so kept to GUID-like characters.
  delivery: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'X-GitHub-Delivery must be the delivery GUID'),
});
export type DeliveryHeaders = z.infer<typeof deliveryHeadersSchema>;

const githubId = z.number().int().nonnegative();
/** Limits match the event catalogue's, so a delivery that parses here also publishes. */
const shortText = z.string().max(32);
const nameText = z.string().max(256);

const repositorySchema = z.looseObject({
  name: z.string().min(1).max(100),
  full_name: z
    .string()
    .max(256)
    .regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/repo'),
  html_url: z.url().max(2048).optional(),
});

const stepSchema = z.looseObject({
  name: nameText,
  status: shortText,
  conclusion: shortText.nullable().optional(),
  number: z.number().int().nonnegative().optional(),
});

export const workflowJobDeliverySchema = z.looseObject({
  action: shortText,
  repository: repositorySchema,
  workflow_job: z.looseObject({
    id: githubId,
    run_id: githubId,
    name: nameText,
    status: shortText,
    conclusion: shortText.nullable().optional(),
    workflow_name: nameText.nullable().optional(),
    labels: z.array(z.string().max(128)).max(100).default([]),
    runner_id: githubId.nullable().optional(),
    runner_name: nameText.nullable().optional(),
    steps: z.array(stepSchema).max(500).default([]),
  }),
});
export type WorkflowJobDelivery = z.infer<typeof workflowJobDeliverySchema>;

export const workflowRunDeliverySchema = z.looseObject({
  action: shortText,
  repository: repositorySchema,
  workflow: z.looseObject({ name: nameText }).nullable().optional(),
  workflow_run: z.looseObject({
    id: githubId,
    name: nameText.nullable().optional(),
    status: shortText.nullable().optional(),
    conclusion: shortText.nullable().optional(),
    html_url: z.url().max(2048).optional(),
  }),
});
export type WorkflowRunDelivery = z.infer<typeof workflowRunDeliverySchema>;

export const pingDeliverySchema = z.looseObject({
  zen: z.string().max(1024).optional(),
  hook_id: githubId.optional(),
});
