'use client';

import type { Envelope } from '@/lib/shared/envelope';
import type { RunnerStatusPayload, ScalePayload } from '@/lib/shared/events';
import { useProject } from './use-project';

const ORDER = { busy: 0, online: 1, idle: 2, offline: 3 } as const;

/** Runners (busy first, then by name) and recent autoscaling activity. */
export function useRunnerStatus(project: string): {
  runners: Array<Envelope<RunnerStatusPayload>>;
  scaling: Array<Envelope<ScalePayload>>;
  loaded: boolean;
} {
  const runners = useProject(project, (s) => s.runners);
  const scaling = useProject(project, (s) => s.scaling);
  const loaded = useProject(project, (s) => s.loaded);
  const list = Object.values(runners).sort(
    (a, b) =>
      ORDER[a.payload.status] - ORDER[b.payload.status] || a.payload.name.localeCompare(b.payload.name),
  );
  return { runners: list, scaling, loaded };
}
