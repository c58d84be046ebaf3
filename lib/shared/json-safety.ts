/**
 * Structural checks on untrusted JSON before it is stored: bounded nesting and no keys
 * that could pollute prototypes when a consumer merges the object.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type JsonProblem =
  | { kind: 'too_deep'; path: string }
  | { kind: 'forbidden_key'; path: string }
  | { kind: 'not_json'; path: string };

/** Returns the first problem found, or null. Iterative so hostile depth cannot blow the stack. */
export function findJsonProblem(value: unknown, maxDepth: number): JsonProblem | null {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: '$' }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === undefined) break;
    const current = item.value;
    if (current === null || typeof current === 'string' || typeof current === 'boolean') continue;
    if (typeof current === 'number') {
      if (!Number.isFinite(current)) return { kind: 'not_json', path: item.path };
      continue;
    }
    if (typeof current !== 'object') return { kind: 'not_json', path: item.path };
    if (item.depth >= maxDepth) return { kind: 'too_deep', path: item.path };
    // Only what JSON.parse makes: a Buffer, Date or class instance is not an event payload.
    const proto = Object.getPrototypeOf(current) as unknown;
    if (!Array.isArray(current) && proto !== Object.prototype && proto !== null)
      return { kind: 'not_json', path: item.path };
    if (Array.isArray(current)) {
      current.forEach((child, index) =>
        stack.push({ value: child, depth: item.depth + 1, path: `${item.path}[${index}]` }),
      );
      continue;
    }
    for (const key of Object.keys(current)) {
      if (FORBIDDEN_KEYS.has(key)) return { kind: 'forbidden_key', path: `${item.path}.${key}` };
      stack.push({
        value: (current as Record<string, unknown>)[key],
        depth: item.depth + 1,
        path: `${item.path}.${key}`,
      });
    }
  }
  return null;
}

const encoder = new TextEncoder();
export const utf8Length = (text: string): number => encoder.encode(text).length;
