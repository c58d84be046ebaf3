/**
 * `opsroom run` arguments: flags before `--`, the command after it (taken verbatim, so the
 * command's own flags never reach our parser). Validated with zod; any problem is a
 * UsageError (exit 2) before anything runs or connects.
 */
import { ulid } from 'ulid';
import { z } from 'zod';
import { LOG_LEVELS } from '@/lib/shared/events';
import { SLUG_PATTERN } from '@/lib/shared/rooms';
import { UsageError, nonEmpty, parseFlags } from '../args';

export const DEFAULT_URL = 'http://localhost:3000';
export const DEFAULT_FLUSH_TIMEOUT_S = 60;
export const DEFAULT_MAX_PENDING = 500;

const flagsSchema = z.object({
  project: z
    .string({ error: '--project is required' })
    .regex(SLUG_PATTERN, '--project must match [a-z0-9][a-z0-9._-]{0,63}'),
  build: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, '--build must be 1-100 characters of A-Z a-z 0-9 . _ : -')
    .optional(),
  stream: z.string().regex(SLUG_PATTERN, '--stream must match [a-z0-9][a-z0-9._-]{0,63}').optional(),
  url: z.url('--url (or OPSROOM_URL) must be a URL like http://localhost:3000').default(DEFAULT_URL),
  token: z.string({ error: '--token or OPSROOM_TOKEN is required' }).min(1, '--token must not be empty'),
  flushTimeout: z.coerce
    .number({ error: '--flush-timeout must be a number of seconds' })
    .min(0, '--flush-timeout must be 0 or more seconds')
    .max(86_400, '--flush-timeout must be at most 86400 seconds')
    .default(DEFAULT_FLUSH_TIMEOUT_S),
  maxPending: z.coerce
    .number({ error: '--max-pending must be a whole number of events' })
    .int('--max-pending must be a whole number of events')
    .min(2, '--max-pending must be at least 2')
    .max(1_000_000, '--max-pending must be at most 1000000')
    .default(DEFAULT_MAX_PENDING),
  stderrLevel: z
    .enum(LOG_LEVELS, { error: `--stderr-level must be one of ${LOG_LEVELS.join(', ')}` })
    .default('error'),
  quiet: z.boolean().default(false),
  command: z
    .array(z.string())
    .min(1, 'the command to run goes after --, e.g. opsroom run --project web -- make'),
});

export type RunFlags = z.output<typeof flagsSchema> & { buildId: string; stream: string };

/** The default stream of a build: `build-<id>`, made slug-safe (lower case, at most 64 characters). */
export function streamForBuild(buildId: string): string {
  return `build-${buildId.toLowerCase().replace(/[^a-z0-9._-]/g, '-')}`.slice(0, 64);
}

/** Sortable and unique: a lower-case ULID. */
export function generateBuildId(): string {
  return ulid().toLowerCase();
}

export function parseRunArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  newBuildId: () => string = generateBuildId,
): RunFlags {
  const separator = argv.indexOf('--');
  const flagArgs = separator === -1 ? [...argv] : argv.slice(0, separator);
  const command = separator === -1 ? [] : argv.slice(separator + 1);
  const { values, positionals } = parseFlags(flagArgs, {
    project: { type: 'string' },
    build: { type: 'string' },
    stream: { type: 'string' },
    url: { type: 'string' },
    token: { type: 'string' },
    'flush-timeout': { type: 'string' },
    'max-pending': { type: 'string' },
    'stderr-level': { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (positionals.length > 0) {
    throw new UsageError(
      `put the command after --, e.g. opsroom run --project web -- ${positionals.join(' ')}`,
    );
  }
  const parsed = flagsSchema.safeParse({
    project: values.project,
    build: values.build,
    stream: values.stream,
    url: values.url ?? nonEmpty(env.OPSROOM_URL),
    token: values.token ?? nonEmpty(env.OPSROOM_TOKEN),
    flushTimeout: values['flush-timeout'],
    maxPending: values['max-pending'],
    stderrLevel: values['stderr-level'],
    quiet: values.quiet,
    command,
  });
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('; '));
  }
  const buildId = parsed.data.build ?? newBuildId();
  return { ...parsed.data, buildId, stream: parsed.data.stream ?? streamForBuild(buildId) };
}
