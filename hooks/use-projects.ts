'use client';

import { useEffect, useState } from 'react';
import type { ProjectSummary } from '@/lib/shared/api-types';

const REFRESH_MS = 15_000;

/** The project list: server-rendered first, refreshed so new projects appear without a reload. */
export function useProjects(initial: ProjectSummary[]): ProjectSummary[] {
  const [projects, setProjects] = useState(initial);
  useEffect(() => {
    let cancelled = false;
    const refresh = async () => {
      try {
        const response = await fetch('/api/projects', { credentials: 'same-origin' });
        if (!response.ok) return;
        const body = (await response.json()) as { projects: ProjectSummary[] };
        if (!cancelled) setProjects(body.projects);
      } catch {
        // Offline: keep the list we have; the connection indicator already says so.
      }
    };
    const timer = setInterval(refresh, REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, []);
  return projects;
}
