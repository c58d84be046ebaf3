/**
 * Which project a container's stats go to: the `opsroom.project` label when it names a valid
 * project slug, else the stats project (OPSROOM_STATS_PROJECT).
 */
import { SLUG_PATTERN } from '@/lib/shared/rooms';
import type { ContainerSummary } from './docker-api';

export const PROJECT_LABEL = 'opsroom.project';

export type ContainerProject =
  | { project: string; invalidLabel?: undefined }
  /** The label is set but is no slug: the container goes to the default project. */
  | { project: string; invalidLabel: string };

export function containerProject(
  container: Pick<ContainerSummary, 'Labels'>,
  defaultProject: string,
): ContainerProject {
  const label = container.Labels?.[PROJECT_LABEL];
  if (label === undefined) return { project: defaultProject };
  const slug = label.trim();
  return SLUG_PATTERN.test(slug)
    ? { project: slug }
    : { project: defaultProject, invalidLabel: label.slice(0, 100) };
}
