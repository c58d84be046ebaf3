/**
 * The event catalogue (PROTOCOL.md section 4): one zod schema per known event type, the
 * state key that makes it part of a room's snapshot, and the inferred payload types that
 * server, client, SDK and hooks all share. Unknown types matching CUSTOM_TYPE_PATTERN are
 * accepted with any JSON object payload.
 */
import { z } from 'zod';

/** Ids may be sent as numbers (GitHub run ids are); they are stored as strings. */
const id = z
  .union([z.string().min(1).max(128), z.number().int().nonnegative()])
  .transform((value) => String(value));
const name = z.string().min(1).max(256);
const text = z.string().max(4096);
const percent = z.number().min(0).max(100);
const count = z.number().int().nonnegative();
const bytes = z.number().nonnegative();

export const SERVICE_STATUSES = [
  'running',
  'stopped',
  'starting',
  'stopping',
  'restarting',
  'error',
  'degraded',
  'unknown',
] as const;
export const HEALTH_STATUSES = ['healthy', 'unhealthy', 'starting', 'unknown'] as const;
export const BUILD_STATUSES = ['queued', 'in-progress', 'complete', 'failed', 'cancelled'] as const;
export const DEPLOY_STATUSES = [...BUILD_STATUSES, 'rolled-back'] as const;
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export const RUNNER_STATUSES = ['online', 'idle', 'busy', 'offline'] as const;
export const WORKFLOW_STATUSES = ['queued', 'waiting', 'in_progress', 'completed'] as const;
export const NOTIFICATION_LEVELS = ['info', 'success', 'warning', 'error'] as const;
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

export const serviceStatusSchema = z.strictObject({
  service: name,
  status: z.enum(SERVICE_STATUSES),
  health: z
    .strictObject({
      status: z.enum(HEALTH_STATUSES),
      checks: z
        .array(z.strictObject({ name, status: z.enum(HEALTH_STATUSES), output: text.optional() }))
        .max(100)
        .optional(),
    })
    .optional(),
  message: text.optional(),
  version: z.string().max(128).optional(),
});

const progressFields = {
  progress: percent,
  step: z.string().max(256),
  currentStep: count.optional(),
  totalSteps: count.optional(),
  message: text.optional(),
};

export const buildProgressSchema = z.strictObject({
  buildId: id,
  status: z.enum(BUILD_STATUSES),
  ...progressFields,
});

export const deployProgressSchema = z.strictObject({
  deployId: id,
  environment: name,
  status: z.enum(DEPLOY_STATUSES),
  ...progressFields,
  version: z.string().max(128).optional(),
});

export const logLineSchema = z.strictObject({
  ts: z.iso.datetime({ offset: true }),
  text: z.string().max(16384),
  level: z.enum(LOG_LEVELS).optional(),
});

export const logsStreamSchema = z.strictObject({
  stream: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  lines: z.array(logLineSchema).min(1).max(1000),
});

export const dockerStatsSchema = z.strictObject({
  container: name,
  cpuPercent: z.number().nonnegative(),
  memUsage: bytes,
  memLimit: bytes,
  netRx: bytes.optional(),
  netTx: bytes.optional(),
  blockRead: bytes.optional(),
  blockWrite: bytes.optional(),
  pids: count.optional(),
});

export const dbQueryResultSchema = z.strictObject({
  queryId: id,
  status: z.enum(['ok', 'error']),
  durationMs: z.number().nonnegative(),
  rowCount: count.optional(),
  columns: z.array(z.string().max(256)).max(500).optional(),
  rows: z
    .array(z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]))
    .max(1000)
    .optional(),
  error: text.optional(),
});

export const runnerStatusSchema = z.strictObject({
  runnerId: id,
  name,
  status: z.enum(RUNNER_STATUSES),
  labels: z.array(z.string().max(128)).max(100),
  os: z.string().max(64).optional(),
  currentJob: z.strictObject({ jobId: id, workflow: name, repo: name }).nullable().optional(),
});

const workflowStepSchema = z.looseObject({
  name,
  status: z.string().max(32),
  conclusion: z.string().max(32).nullable().optional(),
  number: count.optional(),
});

export const workflowJobSchema = z.looseObject({
  jobId: id,
  name,
  status: z.string().max(32),
  conclusion: z.string().max(32).nullable().optional(),
  runnerName: z.string().max(256).nullable().optional(),
  steps: z.array(workflowStepSchema).max(500).optional(),
});

export const workflowUpdateSchema = z.strictObject({
  runId: id,
  workflow: name,
  repo: name,
  status: z.enum(WORKFLOW_STATUSES),
  conclusion: z.string().max(32).nullable().optional(),
  jobs: z.array(workflowJobSchema).max(500).optional(),
  url: z.url().max(2048).optional(),
});

export const scaleSchema = z.strictObject({
  pool: name,
  direction: z.enum(['up', 'down']),
  from: count,
  to: count,
  reason: text.optional(),
});

export const benchmarkRunSchema = z.strictObject({
  runId: id,
  suite: name,
  progress: percent.optional(),
  results: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
  error: text.optional(),
});

export const regressionDetectedSchema = z.strictObject({
  runId: id,
  test: name,
  metric: name,
  baseline: z.number(),
  current: z.number(),
  changePercent: z.number(),
  severity: z.enum(SEVERITIES),
});

export const baselineUpdatedSchema = z.strictObject({ name, runId: id, test: name });

export const analysisCompleteSchema = z.strictObject({ runId: id, test: name, summary: text });

export const notificationSchema = z.strictObject({
  level: z.enum(NOTIFICATION_LEVELS),
  title: z.string().min(1).max(256),
  body: text.optional(),
  link: z.string().max(2048).optional(),
});

/**
 * type -> schema and state key. The state key names the payload field whose value
 * identifies "the thing" the event describes; the snapshot keeps the latest envelope per
 * (type, key). null = the type is history only.
 */
export const EVENT_CATALOGUE = {
  'service:status': { schema: serviceStatusSchema, stateKey: 'service' },
  'build:progress': { schema: buildProgressSchema, stateKey: 'buildId' },
  'deploy:progress': { schema: deployProgressSchema, stateKey: 'deployId' },
  'logs:stream': { schema: logsStreamSchema, stateKey: null },
  'docker:stats': { schema: dockerStatsSchema, stateKey: 'container' },
  'db:query:result': { schema: dbQueryResultSchema, stateKey: 'queryId' },
  'runner:status': { schema: runnerStatusSchema, stateKey: 'runnerId' },
  'workflow:update': { schema: workflowUpdateSchema, stateKey: 'runId' },
  scale: { schema: scaleSchema, stateKey: null },
  'run:started': { schema: benchmarkRunSchema, stateKey: 'runId' },
  'run:progress': { schema: benchmarkRunSchema, stateKey: 'runId' },
  'run:complete': { schema: benchmarkRunSchema, stateKey: 'runId' },
  'run:failed': { schema: benchmarkRunSchema, stateKey: 'runId' },
  'regression:detected': { schema: regressionDetectedSchema, stateKey: null },
  'baseline:updated': { schema: baselineUpdatedSchema, stateKey: 'name' },
  'analysis:complete': { schema: analysisCompleteSchema, stateKey: null },
  notification: { schema: notificationSchema, stateKey: null },
} as const;

export type CatalogueType = keyof typeof EVENT_CATALOGUE;
export type PayloadOf<T extends CatalogueType> = z.output<(typeof EVENT_CATALOGUE)[T]['schema']>;
/** What a publisher sends for a type (ids may still be numbers). */
export type PayloadInputOf<T extends CatalogueType> = z.input<(typeof EVENT_CATALOGUE)[T]['schema']>;

export type ServiceStatusPayload = PayloadOf<'service:status'>;
export type BuildProgressPayload = PayloadOf<'build:progress'>;
export type DeployProgressPayload = PayloadOf<'deploy:progress'>;
export type LogsStreamPayload = PayloadOf<'logs:stream'>;
export type LogLine = z.output<typeof logLineSchema>;
export type DockerStatsPayload = PayloadOf<'docker:stats'>;
export type DbQueryResultPayload = PayloadOf<'db:query:result'>;
export type RunnerStatusPayload = PayloadOf<'runner:status'>;
export type WorkflowUpdatePayload = PayloadOf<'workflow:update'>;
export type ScalePayload = PayloadOf<'scale'>;
export type BenchmarkRunPayload = PayloadOf<'run:progress'>;
export type RegressionDetectedPayload = PayloadOf<'regression:detected'>;
export type BaselineUpdatedPayload = PayloadOf<'baseline:updated'>;
export type AnalysisCompletePayload = PayloadOf<'analysis:complete'>;
export type NotificationPayload = PayloadOf<'notification'>;

/** Any other `domain:verb` type is accepted with an arbitrary JSON object payload. */
export const CUSTOM_TYPE_PATTERN = /^[a-z][a-z0-9-]*(:[a-z0-9-]+)+$/;
export const MAX_TYPE_LENGTH = 100;

export function isCatalogueType(type: string): type is CatalogueType {
  return Object.prototype.hasOwnProperty.call(EVENT_CATALOGUE, type);
}

/** The snapshot key of an event, or null when its type is history only. */
export function stateKeyOf(type: string, payload: Record<string, unknown>): string | null {
  if (!isCatalogueType(type)) return null;
  const field = EVENT_CATALOGUE[type].stateKey;
  if (field === null) return null;
  const value = payload[field];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}
