'use client';

import type { DeployEntry } from '@/lib/stores/project-state';
import { useProject } from './use-project';

export interface DeployProgress {
  deploy: DeployEntry | null;
  deploys: DeployEntry[];
  /** The latest deploy per environment, environments sorted by name. */
  byEnvironment: Array<{ environment: string; deploy: DeployEntry }>;
  isDeploying: boolean;
  loaded: boolean;
}

const newestFirst = (a: DeployEntry, b: DeployEntry) => b.latest.seq - a.latest.seq;

export function useDeployProgress(project: string, deployId?: string): DeployProgress {
  const deploys = useProject(project, (s) => s.deploys);
  const loaded = useProject(project, (s) => s.loaded);
  const all = Object.values(deploys).sort(newestFirst);
  const deploy = deployId !== undefined ? (deploys[deployId] ?? null) : (all[0] ?? null);
  const latestPerEnv = new Map<string, DeployEntry>();
  for (const entry of all)
    if (!latestPerEnv.has(entry.latest.payload.environment))
      latestPerEnv.set(entry.latest.payload.environment, entry);
  const status = deploy?.latest.payload.status;
  return {
    deploy,
    deploys: all,
    byEnvironment: [...latestPerEnv]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([environment, d]) => ({ environment, deploy: d })),
    isDeploying: status === 'queued' || status === 'in-progress',
    loaded,
  };
}
