'use client';

import type { Envelope } from '@/lib/shared/envelope';
import type { WorkflowUpdatePayload } from '@/lib/shared/events';
import { useProject } from './use-project';

/** Workflow runs, most recently updated first. */
export function useWorkflowRuns(project: string): {
  runs: Array<Envelope<WorkflowUpdatePayload>>;
  loaded: boolean;
} {
  const workflows = useProject(project, (s) => s.workflows);
  const loaded = useProject(project, (s) => s.loaded);
  return { runs: Object.values(workflows).sort((a, b) => b.seq - a.seq), loaded };
}
