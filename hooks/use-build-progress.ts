'use client';

import { useCallback, useState } from 'react';
import type { BuildEntry, ProgressStep } from '@/lib/stores/project-state';
import { useProject } from './use-project';

export interface BuildProgress {
  build: BuildEntry | null;
  /** All builds, newest first. */
  builds: BuildEntry[];
  progress: number;
  isBuilding: boolean;
  isComplete: boolean;
  isFailed: boolean;
  /** Steps the build went through, oldest first. */
  history: ProgressStep[];
  /** Forget the shown build locally (e.g. "dismiss"); the next event of it starts a fresh view. */
  reset: () => void;
  loaded: boolean;
}

const newestFirst = (a: BuildEntry, b: BuildEntry) => b.latest.seq - a.latest.seq;

/** One build by id, or the project's most recent build when `buildId` is omitted. */
export function useBuildProgress(project: string, buildId?: string): BuildProgress {
  const builds = useProject(project, (s) => s.builds);
  const loaded = useProject(project, (s) => s.loaded);
  const [dismissedSeq, setDismissedSeq] = useState(0);
  const all = Object.values(builds).sort(newestFirst);
  const candidate = buildId !== undefined ? (builds[buildId] ?? null) : (all[0] ?? null);
  const build = candidate !== null && candidate.latest.seq > dismissedSeq ? candidate : null;
  const status = build?.latest.payload.status;
  const reset = useCallback(() => setDismissedSeq(candidate?.latest.seq ?? 0), [candidate]);
  return {
    build,
    builds: all,
    progress: build?.latest.payload.progress ?? 0,
    isBuilding: status === 'queued' || status === 'in-progress',
    isComplete: status === 'complete',
    isFailed: status === 'failed' || status === 'cancelled',
    history: build?.steps ?? [],
    reset,
    loaded,
  };
}
