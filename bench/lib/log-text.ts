/**
 * Filler text that compresses like a real log stream rather than like `xxxx`: access-log lines
 * with rotating paths, status codes, durations and a per-line request id (the hex part is what
 * deflate cannot shrink). Deterministic, so runs are comparable.
 */
const PATHS = ['/api/builds', '/api/deploys', '/api/runners', '/healthz', '/api/events', '/login'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT'];
const STATUSES = [200, 200, 200, 201, 204, 304, 404, 500];

/** xorshift32: cheap, reproducible pseudo-random numbers. */
function generator(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/** About `bytes` characters of log lines; `index` picks the variation (e.g. the event number). */
export function logText(index: number, bytes: number): string {
  const next = generator(index + 1);
  const lines: string[] = [];
  let length = 0;
  while (length < bytes) {
    const r = next();
    const line =
      `${METHODS[r % METHODS.length] ?? 'GET'} ${PATHS[(r >>> 3) % PATHS.length] ?? '/'}/${(r >>> 8) % 5000} ` +
      `${STATUSES[(r >>> 5) % STATUSES.length] ?? 200} ${(r >>> 11) % 900}ms req=${next().toString(16).padStart(8, '0')} ` +
      `ua=opsroom-agent/1.4 host=web-${(r >>> 2) % 8}`;
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n').slice(0, bytes);
}
