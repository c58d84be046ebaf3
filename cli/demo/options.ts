/** `npm run demo` options: node's parseArgs, then zod for the values. */
import { z } from 'zod';
import { SLUG_PATTERN } from '@/lib/shared/rooms';
import { UsageError, parseFlags } from '../args';

export const DEFAULT_PROJECTS = ['demo-shop', 'demo-api', 'demo-data'];

export const DEMO_USAGE = `usage: npm run demo -- [options]
  --url URL           Opsroom server (default: $OPSROOM_URL or http://localhost:3000)
  --token TOKEN       API token with publish (and read) on the demo projects (default: $OPSROOM_TOKEN;
                      without one, a "demo" token is created in the local database)
  --duration SECONDS  stop after this long (default: run until Ctrl-C)
  --speed FACTOR      simulated time runs this many times faster (default 1)
  --projects A,B      demo project slugs, each starting with demo- (default ${DEFAULT_PROJECTS.join(',')})
  --seed N            seed of the simulation, to repeat a run exactly (default: random)`;

const positiveNumber = (flag: string, max: number) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$|^\.\d+$/, `${flag} must be a positive number`)
    .transform(Number)
    .pipe(z.number().gt(0, `${flag} must be greater than 0`).max(max, `${flag} must be at most ${max}`));

const optionsSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: '--url must be an http(s) URL like http://localhost:3000' }),
  token: z.string().min(1, '--token must not be empty').optional(),
  duration: positiveNumber('--duration', 7 * 24 * 3600).optional(),
  speed: positiveNumber('--speed', 100).default(1),
  projects: z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((slug) => slug.trim())
        .filter((slug) => slug !== ''),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .regex(SLUG_PATTERN, '--projects: each slug must match [a-z0-9][a-z0-9._-]{0,63}')
            .startsWith('demo-', '--projects: each slug must start with demo- so demo data stays apart'),
        )
        .min(1, '--projects needs at least one slug')
        .max(10, '--projects takes at most 10 slugs')
        .refine((slugs) => new Set(slugs).size === slugs.length, '--projects lists a slug twice'),
    )
    .default(DEFAULT_PROJECTS),
  seed: z
    .string()
    .regex(/^\d+$/, '--seed must be a whole number')
    .transform(Number)
    .pipe(z.number().int().max(0xffffffff, '--seed must be below 4294967296'))
    .optional(),
});

export type DemoOptions = z.output<typeof optionsSchema>;

/** Parses argv (without node and script); returns null when help was asked for. */
export function parseDemoOptions(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): DemoOptions | null {
  const { values, positionals } = parseFlags(argv, {
    url: { type: 'string' },
    token: { type: 'string' },
    duration: { type: 'string' },
    speed: { type: 'string' },
    projects: { type: 'string' },
    seed: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help === true) return null;
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const parsed = optionsSchema.safeParse({
    url: values.url ?? (env.OPSROOM_URL || 'http://localhost:3000'),
    token: values.token ?? (env.OPSROOM_TOKEN || undefined),
    duration: values.duration,
    speed: values.speed,
    projects: values.projects,
    seed: values.seed,
  });
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? 'invalid options');
  return parsed.data;
}
