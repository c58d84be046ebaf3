/**
 * docker:stats for the running containers of watched projects, from the Docker daemon. A
 * stats call with stream=false takes a daemon cycle (~1-2 s), so containers are queried
 * concurrently with a bound rather than one after another.
 */
import { dockerStats, type CatalogueEvent } from '@/lib/sdk/events';
import type { Logger } from '../logger';
import { containerProject } from './container-project';
import { DockerApiError, type DockerApi } from './docker-api';
import { containerName, dockerStatsPayload } from './docker-stats';
import { mapConcurrent } from './map-concurrent';

export interface DockerSourceOptions {
  api: DockerApi;
  /** Where containers without a valid `opsroom.project` label go. */
  defaultProject: string;
  /** Stats calls under way at once. */
  concurrency: number;
  logger: Logger;
}

export type DockerSource = ReturnType<typeof createDockerSource>;

/** Bad label values already warned about (bounded: a label is not worth unbounded memory). */
const MAX_REMEMBERED_LABELS = 100;

export function createDockerSource(options: DockerSourceOptions) {
  const { api, defaultProject, concurrency, logger } = options;
  const warnedLabels = new Set<string>();

  return {
    /**
     * One sample of every running container whose project is in `watched`. Throws
     * DockerApiError when the daemon cannot be reached or listed; a container that fails alone
     * (stopped between list and stats, slow) is left out of this sample.
     */
    async sample(watched: ReadonlySet<string>): Promise<Array<CatalogueEvent<'docker:stats'>>> {
      const containers = await api.listRunningContainers();
      const targets = containers.flatMap((container) => {
        const routed = containerProject(container, defaultProject);
        if (routed.invalidLabel !== undefined && !warnedLabels.has(routed.invalidLabel)) {
          if (warnedLabels.size < MAX_REMEMBERED_LABELS) warnedLabels.add(routed.invalidLabel);
          logger.warn(
            { container: containerName(container), label: routed.invalidLabel, project: defaultProject },
            'opsroom.project label is not a project slug; using the default project',
          );
        }
        return watched.has(routed.project)
          ? [{ id: container.Id, name: containerName(container), project: routed.project }]
          : [];
      });
      const results = await mapConcurrent(targets, concurrency, async (target) =>
        dockerStats(target.project, dockerStatsPayload(target.name, await api.containerStats(target.id))),
      );
      const events: Array<CatalogueEvent<'docker:stats'>> = [];
      results.forEach((result, index) => {
        if (result.status === 'fulfilled') {
          events.push(result.value);
          return;
        }
        const error: unknown = result.reason;
        // The daemon went away mid-sample: the sampler falls back, as when listing fails.
        if (error instanceof DockerApiError && error.code === 'UNREACHABLE') throw error;
        logger.debug({ err: error, container: targets[index]?.name }, 'container stats skipped');
      });
      return events;
    },
  };
}
