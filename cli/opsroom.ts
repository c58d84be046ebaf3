/**
 * The Opsroom admin CLI: `npm run opsroom -- <command>`.
 *   token create --name N --project P [--project Q | --project '*'] --scope publish [--scope read]
 *   token list | token revoke <id>
 *   user create --email E --name N --role viewer|operator|admin [--password P | OPSROOM_NEW_PASSWORD]
 *   publish --room R --type T --payload JSON [--id ID] [--url URL] [--token TOKEN]
 *   run --project P [--build ID] [--stream S] [...] -- COMMAND [ARGS...]
 *   tail --room R [--since SEQ] [--json] [--url URL] [--token TOKEN]
 * token/user work on the database directly (same DATABASE_URL / OPSROOM_DATA_DIR as the
 * server); publish and run go through the HTTP API like any publisher, tail through Socket.IO.
 */
import { createTokenRequestSchema, createUserRequestSchema } from '@/lib/shared/account-schemas';
import { zodDetails } from '@/lib/shared/validate-event';
import { isOpsroomError } from '@/lib/shared/errors';
import { ConfigError } from '@/lib/server/config';
import { UsageError, parseFlags } from './args';
import { withLocalAccounts } from './local-accounts';
import { publishCommand } from './publish';
import { runCommand } from './run';
import { tailCommand } from './tail';

const USAGE = `usage: opsroom <command>
  token create --name NAME --project SLUG|* [--project ...] --scope publish|read [--scope ...]
  token list
  token revoke ID
  user create --email EMAIL --name NAME --role viewer|operator|admin [--password PASSWORD]
  publish --room ROOM --type TYPE --payload JSON [--id ID] [--url URL] [--token TOKEN]
  run --project SLUG [--build ID] [--stream STREAM] [--url URL] [--token TOKEN]
      [--flush-timeout SECONDS] [--max-pending EVENTS] [--stderr-level error|warn|info|debug] [--quiet]
      -- COMMAND [ARGS...]
      runs COMMAND (no shell), streams its output as logs and its life as build:progress,
      exits with its exit code; progress markers: a line "::opsroom::progress 40 [2/5] [step text]"
  tail --room ROOM [--since SEQ] [--json] [--url URL] [--token TOKEN]
Environment: DATABASE_URL / OPSROOM_DATA_DIR (token, user); OPSROOM_URL, OPSROOM_TOKEN (publish, run, tail).`;

function validated<T>(
  result: { success: true; data: T } | { success: false; error: Parameters<typeof zodDetails>[0] },
): T {
  if (result.success) return result.data;
  throw new UsageError(
    zodDetails(result.error)
      .map((d) => `${d.path}: ${d.message}`)
      .join('; '),
  );
}

async function tokenCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'create': {
      const { values } = parseFlags(rest, {
        name: { type: 'string' },
        project: { type: 'string', multiple: true },
        scope: { type: 'string', multiple: true },
      });
      const input = validated(
        createTokenRequestSchema.safeParse({
          name: values.name,
          projects: values.project ?? [],
          scopes: values.scope ?? [],
        }),
      );
      await withLocalAccounts(async ({ auth }) => {
        const created = await auth.createToken({ ...input, scopes: [...new Set(input.scopes)] });
        process.stdout.write(
          `Created token ${created.id} "${created.name}" (${created.scopes.join(', ')} on ${created.projects.join(', ')}).\n`,
        );
        process.stdout.write(`Token (shown only now): ${created.token}\n`);
      });
      return;
    }
    case 'list':
      await withLocalAccounts(async ({ store }) => {
        const tokens = await store.listTokens();
        if (tokens.length === 0)
          process.stdout.write(
            'No tokens yet. Create one with: opsroom token create --name ci --project web --scope publish\n',
          );
        for (const t of tokens) {
          process.stdout.write(
            `${t.id}  ${t.name.padEnd(16)} ${t.scopes.join(',').padEnd(13)} ${t.projects.join(',').padEnd(20)} ${t.revokedAt ? `revoked ${t.revokedAt}` : `last used ${t.lastUsedAt ?? 'never'}`}\n`,
          );
        }
      });
      return;
    case 'revoke': {
      const id = rest[0];
      if (!id) throw new UsageError('token revoke needs the token id (see: opsroom token list)');
      await withLocalAccounts(async ({ store }) => {
        if (!(await store.revokeToken(id))) throw new UsageError(`No token with id ${id}.`);
        process.stdout.write(
          `Revoked ${id}. New requests and connections with it are refused; a running server closes its open sockets within 10 s (DELETE /api/tokens/${id} does it at once).\n`,
        );
      });
      return;
    }
    default:
      throw new UsageError(`unknown token command "${sub ?? ''}"`);
  }
}

async function userCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'create') throw new UsageError(`unknown user command "${sub ?? ''}"`);
  const { values } = parseFlags(rest, {
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    password: { type: 'string' },
  });
  const input = validated(
    createUserRequestSchema.safeParse({
      email: values.email,
      name: values.name,
      role: values.role,
      password: values.password ?? process.env.OPSROOM_NEW_PASSWORD,
    }),
  );
  await withLocalAccounts(async ({ auth }) => {
    const user = await auth.createUser(input);
    process.stdout.write(`Created ${user.role} ${user.email} (${user.id}).\n`);
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'token':
        await tokenCommand(rest);
        return 0;
      case 'user':
        await userCommand(rest);
        return 0;
      case 'publish':
        return await publishCommand(rest);
      case 'run':
        return await runCommand(rest);
      case 'tail':
        return await tailCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`opsroom: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ConfigError || isOpsroomError(error)) {
      process.stderr.write(`opsroom: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`opsroom: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
