'use client';

import type { Envelope } from '@/lib/shared/envelope';
import { useProject } from './use-project';

/** The project's recent events, newest first (samples excluded). */
export function useActivity(project: string): {
  activity: Envelope[];
  lastActivityAt: string | null;
  loaded: boolean;
} {
  return useProject(project, (s) => ({
    activity: s.activity,
    lastActivityAt: s.lastActivityAt,
    loaded: s.loaded,
  }));
}
