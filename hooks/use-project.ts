'use client';

import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { useStoreRegistry } from '@/components/providers/realtime-provider';
import type { ProjectStoreState } from '@/lib/stores/project-store';

/**
 * Watches a project for as long as the calling component is mounted and selects from its
 * store. Every project hook builds on this; the registry shares one subscription per room.
 * Selectors returning new arrays/objects are compared shallowly.
 */
export function useProject<T>(project: string, selector: (state: ProjectStoreState) => T): T {
  const handle = useStoreRegistry().project(project);
  useEffect(() => handle.retain(), [handle]);
  return useStore(handle.store, useShallow(selector));
}
