/**
 * Environment configuration (PROTOCOL.md section 1), validated once at start. A bad value
 * produces one line naming the variable; server.ts prints it and exits 1.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { slugSchema } from '@/lib/shared/rooms';

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be an integer between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const originList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin.length > 0),
  )
  .pipe(
    z.array(
      z.string().refine((origin) => /^https?:\/\/[^/\s]+$/.test(origin), {
        message: 'must be a comma list of origins like https://ops.example.com',
      }),
    ),
  );

const githubProjects = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((pair) => pair.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .regex(
          /^[\w.-]+\/[\w.-]+=[a-z0-9][a-z0-9._-]{0,63}$/,
          'must be owner/repo=slug pairs, slugs matching [a-z0-9][a-z0-9._-]{0,63}',
        ),
    ),
  )
  // GitHub repository names are case-insensitive: keys are kept lower-case and looked up so.
  .transform((pairs) =>
    Object.fromEntries(
      pairs.map((pair) => {
        const [repository = '', slug = ''] = pair.split('=');
        return [repository.toLowerCase(), slug];
      }),
    ),
  );

const envSchema = z.object({
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/, 'must start with file: or postgres://')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'must start with redis:// or rediss://')
    .optional(),
  OPSROOM_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  OPSROOM_ADMIN_EMAIL: z.email('must be an email address').optional(),
  OPSROOM_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  OPSROOM_ALLOWED_ORIGINS: originList.default([]),
  BATCH_MAX_EVENTS: int(1, 1000).default(10),
  BATCH_MAX_WAIT_MS: int(0, 10_000).default(100),
  HISTORY_MAX_EVENTS: int(1, 10_000_000).default(10_000),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  OPSROOM_DATA_DIR: z.string().min(1).default('./data'),
  OPSROOM_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  GITHUB_WEBHOOK_SECRET: z
    .string()
    .min(1, 'must not be empty (unset it to turn GitHub webhooks off)')
    .optional(),
  OPSROOM_GITHUB_PROJECTS: githubProjects.default({}),
  OPSROOM_MAX_BODY_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  OPSROOM_MAX_PAYLOAD_BYTES: int(256, 16 * 1024 * 1024).default(64 * 1024),
  OPSROOM_MAX_SOCKET_MESSAGE_BYTES: int(1024, 16 * 1024 * 1024).default(64 * 1024),
  // Abuse limits (issue #4). Defaults sit far above what dashboards, the CLI and the bench
  // do, so only floods meet them; each refusal carries its code (PROTOCOL.md section 5).
  OPSROOM_MAX_JSON_DEPTH: int(2, 256).default(32),
  OPSROOM_LOGIN_ATTEMPTS_PER_MIN: int(1, 1_000_000).default(10),
  OPSROOM_PUBLISH_RATE_PER_MIN: int(1, 100_000_000).default(120_000),
  OPSROOM_SOCKET_MESSAGES_PER_MIN: int(1, 10_000_000).default(100),
  OPSROOM_MAX_CONNECTIONS_PER_USER: int(1, 1_000_000).default(20),
  OPSROOM_MAX_CONNECTIONS: int(1, 10_000_000).default(10_000),
  OPSROOM_MAX_SUBSCRIPTIONS_PER_SOCKET: int(1, 100_000).default(200),
  OPSROOM_TRUST_PROXY: z.enum(['0', '1'], 'must be 0 or 1').default('0'),
  OPSROOM_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/)
    .optional(),
  OPSROOM_SESSION_TTL_HOURS: int(1, 24 * 365).default(24 * 7),
  OPSROOM_SLOW_CONSUMER_BYTES: int(64 * 1024, 1024 * 1024 * 1024).default(8 * 1024 * 1024),
  OPSROOM_SELF_REPORT: z.enum(['on', 'off'], 'must be on or off').default('on'),
  // Container and host stats (issue #6): sampled only while someone watches the project.
  OPSROOM_STATS_INTERVAL_MS: int(500, 3_600_000).default(5_000),
  OPSROOM_DOCKER_SOCKET: z
    .string()
    // Linux caps unix socket paths at 107 bytes (sun_path).
    .regex(/^\/.{0,106}$/, 'must be an absolute path to a unix socket (at most 107 characters)')
    .default('/var/run/docker.sock'),
  OPSROOM_STATS_PROJECT: slugSchema.default('opsroom'),
  // Off by default: Socket.IO then sends a broadcast as one pre-encoded frame to every socket;
  // with deflate each socket compresses every frame itself (bench/README.md, compression).
  OPSROOM_WS_COMPRESSION: z.enum(['on', 'off'], 'must be on or off').default('off'),
  OPSROOM_DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .default('opsroom'),
});

export interface Config {
  port: number;
  host: string;
  dev: boolean;
  /** PostgreSQL tables live in `schema` (OPSROOM_DATABASE_SCHEMA; tests and `npm run cluster` use their own). */
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema: string };
  redisUrl: string | null;
  secret: string;
  admin: { email: string; password: string } | null;
  allowedOrigins: string[];
  batch: { maxEvents: number; maxWaitMs: number };
  historyMaxEvents: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  dataDir: string;
  metricsToken: string | null;
  github: { webhookSecret: string | null; projects: Record<string, string> };
  limits: {
    maxBodyBytes: number;
    maxPayloadBytes: number;
    maxSocketMessageBytes: number;
    maxJsonDepth: number;
    /** Login attempts per client IP per minute; successful ones give their attempt back. */
    loginAttemptsPerMin: number;
    /** Events (not requests) per token or user per minute, HTTP and socket together. */
    publishRatePerMin: number;
    /** Socket messages per connection per minute; 3x over it disconnects. */
    socketMessagesPerMin: number;
    maxConnectionsPerUser: number;
    /** Socket connections on this instance. */
    maxConnections: number;
    maxSubscriptionsPerSocket: number;
  };
  /** Trust the last X-Forwarded-For hop for the client IP (one reverse proxy in front). */
  trustProxy: boolean;
  instanceId: string;
  sessionTtlMs: number;
  /** Unsent bytes after which a socket is evicted as a slow consumer. */
  slowConsumerBytes: number;
  /** Publish Opsroom's own health, container/host stats and server log (project `opsroom`, room `system`). */
  selfReport: boolean;
  stats: {
    /** How often watched projects are sampled. */
    intervalMs: number;
    /** The Docker Engine API socket; used when it answers `/_ping`, else /proc is sampled. */
    dockerSocket: string;
    /** Receives host/process stats and containers without an `opsroom.project` label. */
    project: string;
  };
  /** WebSocket per-message deflate for frames of at least WS_COMPRESSION_THRESHOLD_BYTES. */
  wsCompression: boolean;
}

/** Frames smaller than this are sent uncompressed even with OPSROOM_WS_COMPRESSION=on. */
export const WS_COMPRESSION_THRESHOLD_BYTES = 1024;

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError with one line naming the first bad variable. */
export function parseEnv(env: Record<string, string | undefined>): z.infer<typeof envSchema> {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    const got = env[name];
    const shown =
      got === undefined
        ? ''
        : ` (got "${name.includes('SECRET') || name.includes('PASSWORD') || name.includes('TOKEN') ? '***' : got.slice(0, 60)}")`;
    throw new ConfigError(`Invalid environment variable ${name}: ${issue?.message ?? 'invalid'}${shown}`);
  }
  const parsed = result.data;
  if ((parsed.OPSROOM_ADMIN_EMAIL === undefined) !== (parsed.OPSROOM_ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(
      'Invalid environment variable OPSROOM_ADMIN_PASSWORD: set OPSROOM_ADMIN_EMAIL and OPSROOM_ADMIN_PASSWORD together',
    );
  }
  return parsed;
}

/** The secret from the environment, or one generated once and kept in the data directory. */
function loadOrCreateSecret(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv !== undefined) return fromEnv;
  const file = path.join(dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  argv: string[] = process.argv,
): Config {
  const parsed = parseEnv(env);
  const dataDir = path.resolve(parsed.OPSROOM_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const databaseUrl = parsed.DATABASE_URL ?? `file:${path.join(dataDir, 'opsroom.db')}`;
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    dev: argv.includes('--dev'),
    database: databaseUrl.startsWith('file:')
      ? { kind: 'sqlite', file: path.resolve(databaseUrl.slice('file:'.length)) }
      : { kind: 'postgres', url: databaseUrl, schema: parsed.OPSROOM_DATABASE_SCHEMA },
    redisUrl: parsed.REDIS_URL ?? null,
    secret: loadOrCreateSecret(dataDir, parsed.OPSROOM_SECRET),
    admin:
      parsed.OPSROOM_ADMIN_EMAIL !== undefined && parsed.OPSROOM_ADMIN_PASSWORD !== undefined
        ? { email: parsed.OPSROOM_ADMIN_EMAIL, password: parsed.OPSROOM_ADMIN_PASSWORD }
        : null,
    allowedOrigins: parsed.OPSROOM_ALLOWED_ORIGINS,
    batch: { maxEvents: parsed.BATCH_MAX_EVENTS, maxWaitMs: parsed.BATCH_MAX_WAIT_MS },
    historyMaxEvents: parsed.HISTORY_MAX_EVENTS,
    logLevel: parsed.LOG_LEVEL,
    dataDir,
    metricsToken: parsed.OPSROOM_METRICS_TOKEN ?? null,
    github: { webhookSecret: parsed.GITHUB_WEBHOOK_SECRET ?? null, projects: parsed.OPSROOM_GITHUB_PROJECTS },
    limits: {
      maxBodyBytes: parsed.OPSROOM_MAX_BODY_BYTES,
      maxPayloadBytes: parsed.OPSROOM_MAX_PAYLOAD_BYTES,
      maxSocketMessageBytes: parsed.OPSROOM_MAX_SOCKET_MESSAGE_BYTES,
      maxJsonDepth: parsed.OPSROOM_MAX_JSON_DEPTH,
      loginAttemptsPerMin: parsed.OPSROOM_LOGIN_ATTEMPTS_PER_MIN,
      publishRatePerMin: parsed.OPSROOM_PUBLISH_RATE_PER_MIN,
      socketMessagesPerMin: parsed.OPSROOM_SOCKET_MESSAGES_PER_MIN,
      maxConnectionsPerUser: parsed.OPSROOM_MAX_CONNECTIONS_PER_USER,
      maxConnections: parsed.OPSROOM_MAX_CONNECTIONS,
      maxSubscriptionsPerSocket: parsed.OPSROOM_MAX_SUBSCRIPTIONS_PER_SOCKET,
    },
    trustProxy: parsed.OPSROOM_TRUST_PROXY === '1',
    instanceId: parsed.OPSROOM_INSTANCE_ID ?? `${hostname()}-${process.pid}`,
    sessionTtlMs: parsed.OPSROOM_SESSION_TTL_HOURS * 3600_000,
    slowConsumerBytes: parsed.OPSROOM_SLOW_CONSUMER_BYTES,
    selfReport: parsed.OPSROOM_SELF_REPORT === 'on',
    stats: {
      intervalMs: parsed.OPSROOM_STATS_INTERVAL_MS,
      dockerSocket: parsed.OPSROOM_DOCKER_SOCKET,
      project: parsed.OPSROOM_STATS_PROJECT,
    },
    wsCompression: parsed.OPSROOM_WS_COMPRESSION === 'on',
  };
}
