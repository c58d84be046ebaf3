'use client';

import { useStore } from 'zustand';
import { useStoreRegistry } from '@/components/providers/realtime-provider';
import type { NotificationState } from '@/lib/stores/notification-store';

/** Notifications of the watched projects and the user's own room, with toasts and unread count. */
export function useNotifications(): NotificationState {
  return useStore(useStoreRegistry().notifications);
}
