'use client';

import { useEffect, useState } from 'react';
import type { Envelope } from '@/lib/shared/envelope';
import { useStoreRegistry } from '@/components/providers/realtime-provider';

/**
 * The newest events across several projects, merged by time. Re-merges at most once per
 * animation frame however many events arrive.
 */
export function useCombinedActivity(slugs: string[], limit = 50): Envelope[] {
  const registry = useStoreRegistry();
  const [activity, setActivity] = useState<Envelope[]>([]);
  const key = slugs.join(',');

  useEffect(() => {
    const handles = key === '' ? [] : key.split(',').map((slug) => registry.project(slug));
    const releases = handles.map((handle) => handle.retain());
    let frame: number | null = null;
    const merge = () => {
      frame = null;
      const all = handles.flatMap((handle) => handle.store.getState().activity.slice(0, limit));
      all.sort((a, b) => b.ts.localeCompare(a.ts) || b.seq - a.seq);
      setActivity(all.slice(0, limit));
    };
    const schedule = () => {
      frame ??= requestAnimationFrame(merge);
    };
    const unsubscribes = handles.map((handle) => handle.store.subscribe(schedule));
    schedule();
    return () => {
      if (frame !== null) cancelAnimationFrame(frame);
      unsubscribes.forEach((stop) => stop());
      releases.forEach((release) => release());
    };
  }, [registry, key, limit]);

  return activity;
}
