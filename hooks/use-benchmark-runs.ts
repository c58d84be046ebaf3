'use client';

import type { Envelope } from '@/lib/shared/envelope';
import type {
  AnalysisCompletePayload,
  BaselineUpdatedPayload,
  RegressionDetectedPayload,
} from '@/lib/shared/events';
import type { BenchmarkRunEntry } from '@/lib/stores/project-state';
import { useProject } from './use-project';

export function useBenchmarkRuns(project: string): {
  runs: BenchmarkRunEntry[];
  regressions: Array<Envelope<RegressionDetectedPayload>>;
  baselines: Array<Envelope<BaselineUpdatedPayload>>;
  analyses: Array<Envelope<AnalysisCompletePayload>>;
  loaded: boolean;
} {
  const runs = useProject(project, (s) => s.benchmarkRuns);
  const regressions = useProject(project, (s) => s.regressions);
  const baselines = useProject(project, (s) => s.baselines);
  const analyses = useProject(project, (s) => s.analyses);
  const loaded = useProject(project, (s) => s.loaded);
  return {
    runs: Object.values(runs).sort((a, b) => b.latest.seq - a.latest.seq),
    regressions,
    baselines: Object.values(baselines).sort((a, b) => a.payload.name.localeCompare(b.payload.name)),
    analyses,
    loaded,
  };
}
