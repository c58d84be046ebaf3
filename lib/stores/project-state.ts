/**
 * What a dashboard knows about one project, and the pure fold that builds it from the
 * project room's envelopes. Deterministic: the same envelopes in seq order always give the
 * same state, so a rebuild after backfill or reset is just a re-fold.
 */
import type { Envelope } from '@/lib/shared/envelope';
import type {
  AnalysisCompletePayload,
  BaselineUpdatedPayload,
  BenchmarkRunPayload,
  BuildProgressPayload,
  DbQueryResultPayload,
  DeployProgressPayload,
  DockerStatsPayload,
  NotificationPayload,
  RegressionDetectedPayload,
  RunnerStatusPayload,
  ScalePayload,
  ServiceStatusPayload,
  WorkflowUpdatePayload,
} from '@/lib/shared/events';
import { isCatalogueType } from '@/lib/shared/events';
import { assertNever } from '@/lib/shared/assert-never';
import { appendCapped, prependCapped } from './bounded';

export const LIMITS = {
  statusHistory: 20,
  steps: 50,
  scaling: 50,
  queries: 50,
  series: 300,
  regressions: 100,
  analyses: 50,
  notifications: 100,
  activity: 200,
} as const;

export interface ServiceEntry {
  latest: Envelope<ServiceStatusPayload>;
  /** When the status last changed (not merely re-reported). */
  changedAt: string;
  history: Array<{ seq: number; ts: string; status: ServiceStatusPayload['status'] }>;
}

export interface ProgressStep {
  seq: number;
  ts: string;
  step: string;
  status: string;
  progress: number;
  message?: string;
}

export interface BuildEntry {
  latest: Envelope<BuildProgressPayload>;
  startedAt: string;
  steps: ProgressStep[];
}

export interface DeployEntry {
  latest: Envelope<DeployProgressPayload>;
  startedAt: string;
  steps: ProgressStep[];
}

export interface ContainerSample {
  t: number;
  cpuPercent: number;
  memUsage: number;
  memLimit: number;
  netRx: number | null;
  netTx: number | null;
}

export interface ContainerEntry {
  latest: Envelope<DockerStatsPayload>;
  series: ContainerSample[];
}

export type BenchmarkRunStatus = 'started' | 'running' | 'complete' | 'failed';

export interface BenchmarkRunEntry {
  latest: Envelope<BenchmarkRunPayload>;
  status: BenchmarkRunStatus;
  startedAt: string;
}

export interface ProjectState {
  seq: number;
  /** True once the snapshot arrived: render it at once, no spinner until the next event. */
  loaded: boolean;
  services: Record<string, ServiceEntry>;
  builds: Record<string, BuildEntry>;
  deploys: Record<string, DeployEntry>;
  runners: Record<string, Envelope<RunnerStatusPayload>>;
  workflows: Record<string, Envelope<WorkflowUpdatePayload>>;
  scaling: Array<Envelope<ScalePayload>>;
  queries: Array<Envelope<DbQueryResultPayload>>;
  containers: Record<string, ContainerEntry>;
  benchmarkRuns: Record<string, BenchmarkRunEntry>;
  regressions: Array<Envelope<RegressionDetectedPayload>>;
  baselines: Record<string, Envelope<BaselineUpdatedPayload>>;
  analyses: Array<Envelope<AnalysisCompletePayload>>;
  notifications: Array<Envelope<NotificationPayload>>;
  /** Newest first; every event but the high-rate samples. */
  activity: Envelope[];
  lastActivityAt: string | null;
}

export const emptyProjectState = (): ProjectState => ({
  seq: 0,
  loaded: false,
  services: {},
  builds: {},
  deploys: {},
  runners: {},
  workflows: {},
  scaling: [],
  queries: [],
  containers: {},
  benchmarkRuns: {},
  regressions: [],
  baselines: {},
  analyses: [],
  notifications: [],
  activity: [],
  lastActivityAt: null,
});

const RUN_STATUS: Record<'run:started' | 'run:progress' | 'run:complete' | 'run:failed', BenchmarkRunStatus> =
  {
    'run:started': 'started',
    'run:progress': 'running',
    'run:complete': 'complete',
    'run:failed': 'failed',
  };

function progressStep(envelope: Envelope<BuildProgressPayload | DeployProgressPayload>): ProgressStep {
  const { step, status, progress, message } = envelope.payload;
  return {
    seq: envelope.seq,
    ts: envelope.ts,
    step,
    status,
    progress,
    ...(message !== undefined && { message }),
  };
}

/** Adds a step unless it repeats the previous one (progress ticks within one step update it). */
function nextSteps(steps: ProgressStep[], step: ProgressStep): ProgressStep[] {
  const last = steps.at(-1);
  if (last !== undefined && last.step === step.step && last.status === step.status) {
    return [...steps.slice(0, -1), { ...step, ts: last.ts }];
  }
  return appendCapped(steps, step, LIMITS.steps);
}

const as = <P>(envelope: Envelope): Envelope<P> => envelope as unknown as Envelope<P>;

/**
 * Applies envelopes (seq order) to a state, returning a new state; untouched slices keep
 * their identity so selectors re-render only what changed. Mutates `draft` slices it copies.
 */
export function applyEnvelopes(state: ProjectState, envelopes: readonly Envelope[]): ProjectState {
  if (envelopes.length === 0) return state;
  const next: ProjectState = { ...state, loaded: true };
  const activity: Envelope[] = [];
  const copied = new Set<keyof ProjectState>();
  const own = <K extends keyof ProjectState>(key: K): ProjectState[K] => {
    if (!copied.has(key)) {
      copied.add(key);
      const value = next[key];
      next[key] = (Array.isArray(value) ? [...value] : { ...(value as object) }) as ProjectState[K];
    }
    return next[key];
  };

  for (const envelope of envelopes) {
    if (envelope.seq <= next.seq) continue; // already applied: dedupe by seq
    next.seq = envelope.seq;
    if (envelope.type !== 'docker:stats') activity.push(envelope);
    const type = envelope.type;
    if (!isCatalogueType(type)) continue;
    switch (type) {
      case 'service:status': {
        const e = as<ServiceStatusPayload>(envelope);
        const services = own('services');
        const prev = services[e.payload.service];
        const changed = prev === undefined || prev.latest.payload.status !== e.payload.status;
        services[e.payload.service] = {
          latest: e,
          changedAt: changed ? e.ts : (prev?.changedAt ?? e.ts),
          history: changed
            ? appendCapped(
                prev?.history ?? [],
                { seq: e.seq, ts: e.ts, status: e.payload.status },
                LIMITS.statusHistory,
              )
            : (prev?.history ?? []),
        };
        break;
      }
      case 'build:progress': {
        const e = as<BuildProgressPayload>(envelope);
        const builds = own('builds');
        const prev = builds[e.payload.buildId];
        builds[e.payload.buildId] = {
          latest: e,
          startedAt: prev?.startedAt ?? e.ts,
          steps: nextSteps(prev?.steps ?? [], progressStep(e)),
        };
        break;
      }
      case 'deploy:progress': {
        const e = as<DeployProgressPayload>(envelope);
        const deploys = own('deploys');
        const prev = deploys[e.payload.deployId];
        deploys[e.payload.deployId] = {
          latest: e,
          startedAt: prev?.startedAt ?? e.ts,
          steps: nextSteps(prev?.steps ?? [], progressStep(e)),
        };
        break;
      }
      case 'runner:status': {
        const e = as<RunnerStatusPayload>(envelope);
        own('runners')[e.payload.runnerId] = e;
        break;
      }
      case 'workflow:update': {
        const e = as<WorkflowUpdatePayload>(envelope);
        own('workflows')[e.payload.runId] = e;
        break;
      }
      case 'scale':
        next.scaling = prependCapped(next.scaling, [as<ScalePayload>(envelope)], LIMITS.scaling);
        break;
      case 'db:query:result': {
        const e = as<DbQueryResultPayload>(envelope);
        next.queries = prependCapped(
          next.queries.filter((q) => q.payload.queryId !== e.payload.queryId),
          [e],
          LIMITS.queries,
        );
        break;
      }
      case 'docker:stats': {
        const e = as<DockerStatsPayload>(envelope);
        const containers = own('containers');
        const prev = containers[e.payload.container];
        const sample: ContainerSample = {
          t: Date.parse(e.ts),
          cpuPercent: e.payload.cpuPercent,
          memUsage: e.payload.memUsage,
          memLimit: e.payload.memLimit,
          netRx: e.payload.netRx ?? null,
          netTx: e.payload.netTx ?? null,
        };
        containers[e.payload.container] = {
          latest: e,
          series: appendCapped(prev?.series ?? [], sample, LIMITS.series),
        };
        break;
      }
      case 'run:started':
      case 'run:progress':
      case 'run:complete':
      case 'run:failed': {
        const e = as<BenchmarkRunPayload>(envelope);
        const runs = own('benchmarkRuns');
        const prev = runs[e.payload.runId];
        runs[e.payload.runId] = { latest: e, status: RUN_STATUS[type], startedAt: prev?.startedAt ?? e.ts };
        break;
      }
      case 'regression:detected':
        next.regressions = prependCapped(
          next.regressions,
          [as<RegressionDetectedPayload>(envelope)],
          LIMITS.regressions,
        );
        break;
      case 'baseline:updated': {
        const e = as<BaselineUpdatedPayload>(envelope);
        own('baselines')[e.payload.name] = e;
        break;
      }
      case 'analysis:complete':
        next.analyses = prependCapped(
          next.analyses,
          [as<AnalysisCompletePayload>(envelope)],
          LIMITS.analyses,
        );
        break;
      case 'notification':
        next.notifications = prependCapped(
          next.notifications,
          [as<NotificationPayload>(envelope)],
          LIMITS.notifications,
        );
        break;
      case 'logs:stream':
        break; // log lines live in logs rooms (lib/stores/log-store.ts)
      default:
        assertNever(type);
    }
  }
  if (activity.length > 0) {
    next.activity = prependCapped(next.activity, activity, LIMITS.activity);
    next.lastActivityAt = activity.at(-1)?.ts ?? next.lastActivityAt;
  }
  return next;
}
