/** Small helpers that keep every store bounded: newest-first lists and capped histories. */

/** Prepends items (newest first) and keeps at most `max`. */
export function prependCapped<T>(list: readonly T[], items: readonly T[], max: number): T[] {
  if (items.length === 0) return list as T[];
  const next = [...items].reverse().concat(list);
  return next.length > max ? next.slice(0, max) : next;
}

/** Appends an item (oldest first) and keeps the newest `max`. */
export function appendCapped<T>(list: readonly T[], item: T, max: number): T[] {
  const next = list.length >= max ? list.slice(list.length - max + 1) : list.slice();
  next.push(item);
  return next;
}
