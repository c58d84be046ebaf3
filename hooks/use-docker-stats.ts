'use client';

import type { ContainerEntry } from '@/lib/stores/project-state';
import { useProject } from './use-project';

/** Containers with their bounded sample series (oldest first), sorted by name. */
export function useDockerStats(project: string): { containers: ContainerEntry[]; loaded: boolean } {
  const containers = useProject(project, (s) => s.containers);
  const loaded = useProject(project, (s) => s.loaded);
  return {
    containers: Object.values(containers).sort((a, b) =>
      a.latest.payload.container.localeCompare(b.latest.payload.container),
    ),
    loaded,
  };
}
