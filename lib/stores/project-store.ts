/**
 * A zustand vanilla store per watched project (created by the store registry, never at
 * module level). It keeps the last snapshot and the live events since, so recent history
 * fetched later (backfill) can be folded in underneath without regressing live state.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Envelope } from '@/lib/shared/envelope';
import { applyEnvelopes, emptyProjectState, type ProjectState } from './project-state';

/** Live events kept for re-folding after a backfill; beyond this a backfill is skipped. */
const MAX_LIVE_FOR_REFOLD = 5000;

export interface ProjectStoreState extends ProjectState {
  /** Replace everything with a snapshot at `seq` (first subscribe, or a server reset). */
  reset(snapshot: readonly Envelope[], seq: number): void;
  /** New live events, seq order. */
  apply(events: readonly Envelope[]): void;
  /** Recent history up to the snapshot's seq, to fill timelines and the activity feed. */
  backfill(history: readonly Envelope[]): void;
}

export type ProjectStore = StoreApi<ProjectStoreState>;

const bySeq = (a: Envelope, b: Envelope): number => a.seq - b.seq;

/** Folds base events (deduped by seq) and then sets seq to the base's room seq. */
function foldBase(events: readonly Envelope[], seq: number): ProjectState {
  const unique = [...new Map(events.map((e) => [e.seq, e])).values()].sort(bySeq);
  const state = applyEnvelopes(emptyProjectState(), unique);
  return { ...state, loaded: true, seq: Math.max(state.seq, seq) };
}

export function createProjectStore(): ProjectStore {
  let base: { snapshot: readonly Envelope[]; seq: number } = { snapshot: [], seq: 0 };
  let live: Envelope[] = [];

  return createStore<ProjectStoreState>()((set, get) => ({
    ...emptyProjectState(),

    reset(snapshot, seq) {
      base = { snapshot, seq };
      live = [];
      set(foldBase(snapshot, seq));
    },

    apply(events) {
      const fresh = events.filter((e) => e.seq > get().seq);
      if (fresh.length === 0) return;
      if (live.length < MAX_LIVE_FOR_REFOLD) live.push(...fresh);
      set(applyEnvelopes(get(), fresh));
    },

    backfill(history) {
      if (live.length >= MAX_LIVE_FOR_REFOLD) return;
      const older = history.filter((e) => e.seq <= base.seq);
      if (older.length === 0) return;
      set(applyEnvelopes(foldBase([...base.snapshot, ...older], base.seq), live));
    },
  }));
}
