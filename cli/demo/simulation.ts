/**
 * The whole simulated workload for a set of demo projects on one simulated clock. The live
 * CLI advances it in real time (times --speed); tests advance it instantly and collect
 * what it emits. Everything it generates follows from the seed, except wall-clock
 * timestamps.
 */
import { log } from '@/lib/sdk/events';
import type { LogLine } from '@/lib/shared/events';
import { projectRoom } from '@/lib/shared/rooms';
import type { DemoEvent, DemoNote, ProjectContext, Scenario } from './context';
import { startProject } from './project';
import { Rng } from './random';
import { Scheduler } from './scheduler';

export interface SimulationOptions {
  seed: number;
  projects: string[];
  onEvent: (event: DemoEvent) => void;
  onNote?: (note: DemoNote) => void;
  /** Wall-clock milliseconds for the current simulated instant; default: start time + simulated time. */
  wallClock?: (simulatedMs: number) => number;
  /** The pretend GitHub organisation of the projects' repositories. */
  org?: string;
}

export interface Simulation {
  scheduler: Scheduler;
  /** Runs everything due up to this simulated time. */
  advanceTo: (simulatedMs: number) => void;
  /** Closes off what is in flight (cancels builds, deploys, runs) and stops all timers. */
  stop: () => void;
}

export function createSimulation(options: SimulationOptions): Simulation {
  const scheduler = new Scheduler();
  const root = new Rng(options.seed);
  const startedAt = Date.now();
  const wallClock = options.wallClock ?? ((simulatedMs: number) => startedAt + simulatedMs);
  let stopped = false;

  const projects: Scenario[] = options.projects.map((slug) => {
    const ctx: ProjectContext = {
      slug,
      repo: `${options.org ?? 'acme'}/${slug}`,
      rng: root.fork(`project:${slug}`),
      scheduler,
      timestamp: (offsetMs = 0) => new Date(wallClock(scheduler.now) + offsetMs).toISOString(),
      emit: (type, payload) => {
        options.onEvent({ room: projectRoom(slug), type, payload: payload as Record<string, unknown> });
      },
      emitLog: (stream: string, lines: LogLine[]) => options.onEvent(log(slug, stream, lines)),
      note: (tone, text) => options.onNote?.({ atMs: scheduler.now, project: slug, tone, text }),
    };
    return startProject(ctx);
  });

  return {
    scheduler,
    advanceTo: (simulatedMs) => {
      if (!stopped) scheduler.advanceTo(simulatedMs);
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      projects.forEach((project) => project.stop());
      scheduler.clear();
    },
  };
}

/** Runs a simulation for a stretch of simulated time and returns everything it emitted. */
export function simulate(options: Omit<SimulationOptions, 'onEvent' | 'onNote'> & { durationMs: number }): {
  events: DemoEvent[];
  notes: DemoNote[];
} {
  const events: DemoEvent[] = [];
  const notes: DemoNote[] = [];
  const simulation = createSimulation({
    ...options,
    onEvent: (event) => events.push(event),
    onNote: (note) => notes.push(note),
  });
  for (let t = 0; t <= options.durationMs; t += 100) simulation.advanceTo(t);
  simulation.stop();
  return { events, notes };
}
