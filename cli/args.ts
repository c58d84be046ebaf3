/** Command-line parsing for the admin CLI: node's parseArgs, then zod for values. */
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

export function parseFlags(
  argv: string[],
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** An environment variable set to '' counts as unset (`OPSROOM_TOKEN= opsroom ...`). */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}
