/**
 * Notifications of every room the tab watches (projects and the user's own room): a capped
 * list, an unread count, and the toasts currently on screen. Only live notifications make
 * toasts; snapshots and backfill never pop anything up.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Envelope } from '@/lib/shared/envelope';
import type { NotificationPayload } from '@/lib/shared/events';
import { prependCapped } from './bounded';

export const MAX_NOTIFICATIONS = 100;
export const MAX_TOASTS = 4;

export interface NotificationItem {
  id: string;
  project: string | null;
  ts: string;
  payload: NotificationPayload;
}

export interface NotificationState {
  items: NotificationItem[];
  toasts: NotificationItem[];
  unread: number;
  receive(events: readonly Envelope[], project: string | null): void;
  dismissToast(id: string): void;
  markAllRead(): void;
}

export type NotificationStore = StoreApi<NotificationState>;

export function createNotificationStore(): NotificationStore {
  const seen = new Set<string>();
  return createStore<NotificationState>()((set, get) => ({
    items: [],
    toasts: [],
    unread: 0,
    receive(events, project) {
      const fresh: NotificationItem[] = [];
      for (const event of events) {
        if (event.type !== 'notification' || seen.has(event.id)) continue;
        seen.add(event.id);
        fresh.push({
          id: event.id,
          project,
          ts: event.ts,
          payload: event.payload as unknown as NotificationPayload,
        });
      }
      if (fresh.length === 0) return;
      const state = get();
      set({
        items: prependCapped(state.items, fresh, MAX_NOTIFICATIONS),
        toasts: prependCapped(state.toasts, fresh, MAX_TOASTS),
        unread: Math.min(state.unread + fresh.length, MAX_NOTIFICATIONS),
      });
    },
    dismissToast(id) {
      set({ toasts: get().toasts.filter((t) => t.id !== id) });
    },
    markAllRead() {
      set({ unread: 0 });
    },
  }));
}
