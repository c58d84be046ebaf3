/**
 * A minimal Docker Engine API client over its unix socket (node:http `socketPath`): the three
 * calls the stats sampler needs, each with a deadline, a response size cap and a zod-validated
 * body, so a slow, hostile or changed daemon yields a DockerApiError, never a crash or a
 * half-typed object. Paths are unversioned: the daemon answers with its own API version, and
 * every field read here exists since API 1.24 (Docker 1.12).
 * https://docs.docker.com/reference/api/engine/ (ContainerList, ContainerStats, SystemPing)
 */
import { Agent, request } from 'node:http';
import { z } from 'zod';

export type DockerApiErrorCode = 'UNREACHABLE' | 'TIMEOUT' | 'HTTP_STATUS' | 'INVALID_RESPONSE';

export class DockerApiError extends Error {
  constructor(
    readonly code: DockerApiErrorCode,
    message: string,
    /** The HTTP status for HTTP_STATUS (404 = the container is gone). */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DockerApiError';
  }
}

/** One entry of GET /containers/json; only the fields Opsroom reads, the rest is ignored. */
export const containerSummarySchema = z.object({
  Id: z.string().min(1),
  Names: z.array(z.string()).nullish(),
  /** `running`, `exited`, ... (absent before API 1.23). */
  State: z.string().optional(),
  Labels: z.record(z.string(), z.string()).nullish(),
});
export type ContainerSummary = z.infer<typeof containerSummarySchema>;

/** Counters are unsigned 64-bit in Go; JSON numbers beyond 2^53 lose precision but stay finite. */
const counter = z.number().nonnegative();

const cpuStatsSchema = z.object({
  cpu_usage: z
    .object({
      total_usage: counter.default(0),
      percpu_usage: z.array(counter).nullish(),
    })
    .default({ total_usage: 0 }),
  system_cpu_usage: counter.optional(),
  online_cpus: z.number().int().nonnegative().optional(),
});

const networkStatsSchema = z.object({ rx_bytes: counter.default(0), tx_bytes: counter.default(0) });

const blkioEntrySchema = z.object({ op: z.string(), value: counter });

/**
 * GET /containers/{id}/stats?stream=false (Linux daemons). Fields a stopped or just-started
 * container leaves out (precpu_stats on the first cycle, networks with --network none,
 * pids_stats without the pids cgroup) are optional here.
 */
export const containerStatsSchema = z.object({
  cpu_stats: cpuStatsSchema.default({ cpu_usage: { total_usage: 0 } }),
  precpu_stats: cpuStatsSchema.default({ cpu_usage: { total_usage: 0 } }),
  memory_stats: z
    .object({
      usage: counter.optional(),
      limit: counter.optional(),
      stats: z.record(z.string(), z.number()).nullish(),
    })
    .default({}),
  networks: z.record(z.string(), networkStatsSchema).nullish(),
  blkio_stats: z.object({ io_service_bytes_recursive: z.array(blkioEntrySchema).nullish() }).nullish(),
  pids_stats: z.object({ current: z.number().int().nonnegative().optional() }).nullish(),
});
export type ContainerStats = z.infer<typeof containerStatsSchema>;

export interface DockerApiOptions {
  socketPath: string;
  /** Deadline per call; a stats call legitimately takes one daemon cycle (~1-2 s). */
  timeoutMs?: number;
  /** Sockets kept open to the daemon, i.e. the most calls under way at once. */
  maxSockets?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** A daemon that exists but hangs must not hold up the /proc fallback for a full call deadline. */
const PING_TIMEOUT_MS = 2_000;
/** Far above a real answer (a stats body is ~3 KiB, a list ~2 KiB per container). */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export type DockerApi = ReturnType<typeof createDockerApi>;

export function createDockerApi(options: DockerApiOptions) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Keep-alive: a sampler calls every few seconds; its own agent so close() frees the socket.
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 8 });

  function get(path: string, deadlineMs = timeoutMs): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          socketPath: options.socketPath,
          path,
          method: 'GET',
          agent,
          headers: { host: 'docker', accept: 'application/json' },
          signal: AbortSignal.timeout(deadlineMs),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
              req.destroy(
                new DockerApiError('INVALID_RESPONSE', `${path}: response over ${MAX_RESPONSE_BYTES} bytes`),
              );
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', (error) => reject(asDockerError(path, error)));
        },
      );
      req.on('error', (error) => reject(asDockerError(path, error)));
      req.end();
    });
  }

  async function getJson<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const { status, body } = await get(path);
    if (status !== 200) {
      throw new DockerApiError(
        'HTTP_STATUS',
        `${path}: HTTP ${status} ${daemonMessage(body)}`.trim(),
        status,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new DockerApiError('INVALID_RESPONSE', `${path}: the body is not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DockerApiError(
        'INVALID_RESPONSE',
        `${path}: unexpected shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    return parsed.data;
  }

  return {
    socketPath: options.socketPath,

    /**
     * Whether a daemon answers GET /_ping with 200 "OK", and if not why (ENOENT: no socket,
     * EACCES: not in the docker group, ...), for the one log line that explains the fallback.
     * Never throws.
     */
    async ping(): Promise<{ ok: true } | { ok: false; reason: string }> {
      try {
        const { status, body } = await get('/_ping', Math.min(timeoutMs, PING_TIMEOUT_MS));
        if (status === 200 && body.trim() === 'OK') return { ok: true };
        return { ok: false, reason: `/_ping: HTTP ${status} ${body.slice(0, 100)}`.trim() };
      } catch (error) {
        return { ok: false, reason: asDockerError('/_ping', error).message };
      }
    },

    /** Running containers only (the endpoint's default without `all=true`). */
    async listRunningContainers(): Promise<ContainerSummary[]> {
      const containers = await getJson('/containers/json', z.array(containerSummarySchema));
      // A daemon that ignores the default still must not make us sample stopped containers.
      return containers.filter((container) => container.State === undefined || container.State === 'running');
    },

    /**
     * One stats sample. `stream=false` without `one-shot` makes the daemon wait one collection
     * cycle so precpu_stats holds the previous reading and CPU % can be computed.
     */
    containerStats(id: string): Promise<ContainerStats> {
      return getJson(`/containers/${encodeURIComponent(id)}/stats?stream=false`, containerStatsSchema);
    },

    /** Closes its sockets, failing calls under way at once (call on shutdown). */
    close(): void {
      agent.destroy();
    },
  };
}

/** Docker's error bodies are `{"message": "..."}`; the text is kept short for logs. */
function daemonMessage(body: string): string {
  try {
    const parsed = z.object({ message: z.string() }).safeParse(JSON.parse(body));
    return parsed.success ? parsed.data.message.slice(0, 200) : '';
  } catch {
    return '';
  }
}

function asDockerError(path: string, error: unknown): DockerApiError {
  if (error instanceof DockerApiError) return error;
  const name = error instanceof Error ? error.name : '';
  if (name === 'AbortError' || name === 'TimeoutError') {
    return new DockerApiError('TIMEOUT', `${path}: no answer in time`);
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return new DockerApiError('UNREACHABLE', `${path}: ${reason}`);
}
