/**
 * Median of several runs of the same measurement, field by field: numbers become their median,
 * nested objects are combined the same way, anything else (names, strings, arrays) is taken
 * from the first run. The targets are "median of 3 runs".
 */
export function median(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = Math.floor(finite.length / 2);
  return finite.length % 2 === 1
    ? (finite[mid] ?? Number.NaN)
    : ((finite[mid - 1] ?? 0) + (finite[mid] ?? 0)) / 2;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function medianOfRuns<T>(runs: readonly T[]): T {
  const [first] = runs;
  if (first === undefined) throw new Error('medianOfRuns: no runs');
  if (runs.length === 1 || !isPlainObject(first)) return first;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(first)) {
    const values = runs.map((run) => (run as Record<string, unknown>)[key]);
    if (values.every((v) => typeof v === 'number')) out[key] = median(values as number[]);
    else if (values.every(isPlainObject)) out[key] = medianOfRuns(values);
    else out[key] = value;
  }
  return out as T;
}
