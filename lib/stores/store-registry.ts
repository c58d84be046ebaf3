/**
 * One registry per tab (created by the provider): it owns the stores of the rooms this tab
 * watches and binds each to the realtime client, reference-counted, so ten components
 * showing one project share one store and one server subscription.
 */
import type { RealtimeClient } from '@/lib/client';
import type { Envelope } from '@/lib/shared/envelope';
import type { ErrorBody } from '@/lib/shared/errors';
import type { HistoryResponse } from '@/lib/shared/api-types';
import { projectRoom, userRoom } from '@/lib/shared/rooms';
import { createProjectStore, type ProjectStore } from './project-store';
import { createNotificationStore, type NotificationStore } from './notification-store';

/** Recent events fetched once per subscription for timelines and the activity feed. */
export const BACKFILL_EVENTS = 500;

export type HistoryFetcher = (room: string, since: number, limit: number) => Promise<Envelope[]>;

export const fetchHistoryOverHttp: HistoryFetcher = async (room, since, limit) => {
  const response = await fetch(
    `/api/rooms/${encodeURIComponent(room)}/history?since=${since}&limit=${limit}`,
    {
      credentials: 'same-origin',
    },
  );
  if (!response.ok) return [];
  return ((await response.json()) as HistoryResponse).events;
};

export interface ProjectHandle {
  store: ProjectStore;
  /** Starts watching (first retain subscribes); returns the release function. */
  retain(): () => void;
  error(): ErrorBody | null;
}

export interface StoreRegistry {
  project(slug: string): ProjectHandle;
  notifications: NotificationStore;
  /** Watches the user's own room for notifications addressed to them; returns the release. */
  watchUser(userId: string): () => void;
}

export function createStoreRegistry(
  client: RealtimeClient,
  fetchHistory: HistoryFetcher = fetchHistoryOverHttp,
): StoreRegistry {
  const projects = new Map<string, ProjectHandle>();
  const notifications = createNotificationStore();

  function project(slug: string): ProjectHandle {
    const existing = projects.get(slug);
    if (existing !== undefined) return existing;
    const store = createProjectStore();
    const room = projectRoom(slug);
    let count = 0;
    let unsubscribe: (() => void) | null = null;
    let lastError: ErrorBody | null = null;

    const handle: ProjectHandle = {
      store,
      error: () => lastError,
      retain() {
        count += 1;
        if (count === 1) {
          unsubscribe = client.subscribe(room, {
            onReset: (snapshot, seq) => {
              lastError = null;
              store.getState().reset(snapshot, seq);
              if (seq > 0) {
                fetchHistory(room, Math.max(0, seq - BACKFILL_EVENTS), BACKFILL_EVENTS)
                  .then((history) => store.getState().backfill(history))
                  .catch(() => undefined); // backfill is a nicety; live state is already right
              }
            },
            onEvents: (events) => {
              store.getState().apply(events);
              notifications.getState().receive(events, slug);
            },
            onError: (error) => {
              lastError = error;
            },
          });
        }
        let released = false;
        return () => {
          if (released) return;
          released = true;
          count -= 1;
          if (count === 0) {
            unsubscribe?.();
            unsubscribe = null;
          }
        };
      },
    };
    projects.set(slug, handle);
    return handle;
  }

  function watchUser(userId: string): () => void {
    return client.subscribe(userRoom(userId), {
      onEvents: (events) => notifications.getState().receive(events, null),
    });
  }

  return { project, notifications, watchUser };
}
