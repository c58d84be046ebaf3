'use client';

import type { ServiceEntry } from '@/lib/stores/project-state';
import { useProject } from './use-project';

const byName = (a: ServiceEntry, b: ServiceEntry) =>
  a.latest.payload.service.localeCompare(b.latest.payload.service);

/** All services of a project (sorted by name), or one service when `service` is given. */
export function useServiceStatus(project: string): { services: ServiceEntry[]; loaded: boolean };
export function useServiceStatus(
  project: string,
  service: string,
): { service: ServiceEntry | null; loaded: boolean };
export function useServiceStatus(project: string, service?: string) {
  const services = useProject(project, (s) => s.services);
  const loaded = useProject(project, (s) => s.loaded);
  if (service !== undefined) return { service: services[service] ?? null, loaded };
  return { services: Object.values(services).sort(byName), loaded };
}
