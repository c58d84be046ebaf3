/**
 * Typed event builders: one function per catalogue type, returning the `{room, type,
 * payload}` a publisher sends. Isomorphic (no Node, no DOM), so the Node SDK's HTTP
 * publisher and the server's in-process publishers (API routes, GitHub webhooks, stats
 * samplers) build events the same way, from the same zod-inferred payload types.
 */
import type { CatalogueType, LogLine, PayloadInputOf } from '@/lib/shared/events';
import { logsRoom, projectRoom, userRoom } from '@/lib/shared/rooms';

/** An event ready to publish; `id` makes the publish idempotent (see PROTOCOL §4). */
export interface OutgoingEvent<T extends string = string, P = Record<string, unknown>> {
  room: string;
  type: T;
  payload: P;
  id?: string;
}

export type CatalogueEvent<T extends CatalogueType> = OutgoingEvent<T, PayloadInputOf<T>>;

/** A log line as publishers write it: `ts` defaults to now. */
export type LogLineInput = Omit<LogLine, 'ts'> & { ts?: string };

function projectEvent<T extends CatalogueType>(
  type: T,
): (project: string, payload: PayloadInputOf<T>) => CatalogueEvent<T> {
  return (project, payload) => ({ room: projectRoom(project), type, payload });
}

export const serviceStatus = projectEvent('service:status');
export const buildProgress = projectEvent('build:progress');
export const deployProgress = projectEvent('deploy:progress');
export const dockerStats = projectEvent('docker:stats');
export const dbQueryResult = projectEvent('db:query:result');
export const runnerStatus = projectEvent('runner:status');
export const workflowUpdate = projectEvent('workflow:update');
export const scale = projectEvent('scale');
export const runStarted = projectEvent('run:started');
export const runProgress = projectEvent('run:progress');
export const runComplete = projectEvent('run:complete');
export const runFailed = projectEvent('run:failed');
export const regressionDetected = projectEvent('regression:detected');
export const baselineUpdated = projectEvent('baseline:updated');
export const analysisComplete = projectEvent('analysis:complete');

/** Lines of one log stream (1-1000 per event), to the stream's own room. */
export function log(
  project: string,
  stream: string,
  lines: readonly LogLineInput[],
  now: () => Date = () => new Date(),
): CatalogueEvent<'logs:stream'> {
  const fallbackTs = now().toISOString();
  return {
    room: logsRoom(project, stream),
    type: 'logs:stream',
    payload: { stream, lines: lines.map((line) => ({ ...line, ts: line.ts ?? fallbackTs })) },
  };
}

/** A notification for one user (their `user:<id>` room). */
export function notification(
  userId: string,
  payload: PayloadInputOf<'notification'>,
): CatalogueEvent<'notification'> {
  return { room: userRoom(userId), type: 'notification', payload };
}
