/**
 * Samples container (Docker) or host/process (/proc) stats into `docker:stats`, publishing
 * through the hub as the system principal - but only for projects whose `project:<slug>` room
 * has subscribers on this instance, so nothing is sampled or stored while nobody watches.
 *
 * Source: the Docker daemon when it answers `/_ping` on the configured socket; otherwise, or
 * after it disappears (logged once per outage), /proc, probing the daemon again each tick.
 * The loop re-arms only after a sample settles, so a slow daemon (a stats call takes a
 * daemon cycle, ~1-2 s per container) stretches the interval instead of stacking samples.
 */
import type { CatalogueEvent } from '@/lib/sdk/events';
import { parseRoom } from '@/lib/shared/rooms';
import { SYSTEM_PRINCIPAL } from '../auth/principal';
import type { Config } from '../config';
import type { Clock } from '../hub/clock';
import type { Hub } from '../hub/hub';
import type { Logger } from '../logger';
import { createDockerApi, DockerApiError } from './docker-api';
import { createDockerSource } from './docker-source';
import { createProcSource } from './proc-source';
import type { ReadText } from './proc-stats';

export interface StatsSamplerOptions {
  hub: Pick<Hub, 'publish'>;
  /** Structural so tests need no Socket.IO server; RealtimeServer satisfies it. */
  realtime: { io: { sockets: { adapter: { rooms: Map<string, Set<string>> } } } };
  config: Config['stats'];
  logger: Logger;
  clock: Clock;
  /** Docker stats calls under way at once (default 8). */
  concurrency?: number;
  /** Deadline of one Docker API call (default 10 s). */
  dockerTimeoutMs?: number;
  /** First /proc CPU window after a pause (default 500 ms). */
  firstWindowMs?: number;
  /** /proc reader, replaceable in tests. */
  readText?: ReadText;
}

export type StatsSource = 'docker' | 'proc';

export type StatsSampler = ReturnType<typeof createStatsSampler>;

const DEFAULT_CONCURRENCY = 8;
/** How often the sampler looks for newly watched projects between samples. */
const WATCH_POLL_MS = 500;
const PROJECT_ROOM_PREFIX = 'project:';

export function createStatsSampler(options: StatsSamplerOptions) {
  const { hub, realtime, config, clock } = options;
  const log = options.logger.child({ module: 'container-stats' });
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const docker = createDockerApi({
    socketPath: config.dockerSocket,
    maxSockets: concurrency,
    ...(options.dockerTimeoutMs === undefined ? {} : { timeoutMs: options.dockerTimeoutMs }),
  });
  const dockerSource = createDockerSource({
    api: docker,
    defaultProject: config.project,
    concurrency,
    logger: log,
  });
  const proc = createProcSource({
    project: config.project,
    clock,
    ...(options.firstWindowMs === undefined ? {} : { firstWindowMs: options.firstWindowMs }),
    ...(options.readText === undefined ? {} : { readText: options.readText }),
  });

  let running = false;
  let timer: unknown = null;
  let inFlight: Promise<void> | null = null;
  /** null until the first watched tick decides; 'docker' while the daemon answers. */
  let source: StatsSource | null = null;
  /** The daemon was in use and stopped answering: warn once, not on every tick. */
  let dockerLost = false;
  let publishFailing = false;
  let published = 0;
  let samples = 0;
  /** When the last sample started, and which projects it covered. */
  let lastSampleAt = Number.NEGATIVE_INFINITY;
  let sampledProjects = new Set<string>();
  const pollMs = Math.min(WATCH_POLL_MS, config.intervalMs);

  /** Projects with at least one subscriber on this instance (the adapter's rooms are local). */
  function watchedProjects(): Set<string> {
    const projects = new Set<string>();
    for (const [room, members] of realtime.io.sockets.adapter.rooms) {
      if (members.size === 0 || !room.startsWith(PROJECT_ROOM_PREFIX)) continue;
      const parsed = parseRoom(room);
      if (parsed?.kind === 'project') projects.add(parsed.project);
    }
    return projects;
  }

  /** Docker while it answers; otherwise ping it (cheap: ENOENT at once when there is none). */
  async function dockerAnswers(): Promise<boolean> {
    if (source === 'docker') return true;
    const ping = await docker.ping();
    if (ping.ok) {
      if (!dockerLost) log.info({ socket: config.dockerSocket }, 'sampling docker containers');
      source = 'docker';
      proc.reset();
      return true;
    }
    if (source === null) {
      log.info(
        { socket: config.dockerSocket, reason: ping.reason },
        'no docker daemon answers; sampling host and process from /proc',
      );
    }
    source = 'proc';
    return false;
  }

  async function sampleDocker(watched: Set<string>): Promise<Array<CatalogueEvent<'docker:stats'>> | null> {
    try {
      const events = await dockerSource.sample(watched);
      if (dockerLost) {
        dockerLost = false;
        log.info({ socket: config.dockerSocket }, 'docker daemon answers again; sampling its containers');
      }
      return events;
    } catch (error) {
      if (!(error instanceof DockerApiError)) throw error;
      // stop() closed the connection under this call: shutting down, not an outage.
      if (!running) return [];
      source = 'proc';
      if (!dockerLost) {
        dockerLost = true;
        log.warn(
          { socket: config.dockerSocket, code: error.code, reason: error.message },
          'docker daemon unavailable; sampling /proc until it answers',
        );
      }
      return null;
    }
  }

  async function tick(watched: Set<string>): Promise<void> {
    let events = (await dockerAnswers()) ? await sampleDocker(watched) : null;
    if (events === null) {
      if (watched.has(proc.project)) {
        events = await proc.sample();
      } else {
        proc.reset();
        events = [];
      }
    }
    samples += 1;
    if (events.length === 0) return;
    try {
      await hub.publish(events, SYSTEM_PRINCIPAL, 'internal');
      published += events.length;
      if (publishFailing) log.info('container stats publishing again');
      publishFailing = false;
    } catch (error) {
      if (!publishFailing) log.warn({ err: error }, 'container stats publish failed');
      publishFailing = true;
    }
  }

  /**
   * Whether this poll should sample: the interval has passed, or a project gained its first
   * subscriber since the last sample (a newcomer sees figures at once, not one interval later).
   */
  function due(watched: Set<string>): boolean {
    if (clock.now() - lastSampleAt >= config.intervalMs) return true;
    for (const project of watched) if (!sampledProjects.has(project)) return true;
    return false;
  }

  /**
   * Polls the (local, cheap to read) room table every WATCH_POLL_MS and samples when due.
   * Re-arms only after a sample settles (see the header).
   */
  function arm(ms: number): void {
    timer = clock.setTimeout(() => {
      timer = null;
      if (!running) return;
      const watched = watchedProjects();
      if (watched.size === 0) {
        // Nobody watches: no daemon call, no /proc read, nothing stored.
        proc.reset();
        sampledProjects = new Set();
        arm(pollMs);
        return;
      }
      if (!due(watched)) {
        arm(pollMs);
        return;
      }
      lastSampleAt = clock.now();
      sampledProjects = watched;
      inFlight = tick(watched)
        .catch((error: unknown) => log.error({ err: error }, 'container stats tick failed'))
        .finally(() => {
          inFlight = null;
          if (running) arm(pollMs);
        });
    }, ms);
  }

  return {
    /** The first tick runs at once, so a subscriber already present is served right away. */
    start(): void {
      if (running) return;
      running = true;
      arm(0);
    },

    /**
     * Stops the loop, aborting Docker calls under way (a hung daemon must not hold up
     * shutdown), and waits for the sample to settle (the hub and store must still be open).
     */
    async stop(): Promise<void> {
      if (!running) return;
      running = false;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      docker.close();
      await inFlight;
    },

    /** Figures for tests and diagnostics. */
    stats: () => ({ source, published, samples }),
  };
}
