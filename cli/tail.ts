/**
 * `opsroom tail --room R [--since SEQ] [--json]`: live events of one room in the terminal.
 *
 * Built on the dashboard's own realtime client (lib/client, isomorphic): it authenticates with
 * `auth: { token }`, reconnects with backoff, resubscribes with the last seq it delivered and
 * drops overlaps, so the printed stream has no gap and no duplicate across disconnects and
 * server restarts. Notes (connection lost, back, reset) go to stderr; events to stdout.
 */
import { z } from 'zod';
import { createRealtimeClient, type ConnectionState } from '@/lib/client';
import type { Envelope } from '@/lib/shared/envelope';
import { roomNameSchema } from '@/lib/shared/rooms';
import { UsageError, nonEmpty, parseFlags } from './args';
import { DEFAULT_URL } from './run/run-flags';
import { formatEventLines } from './tail/format-event';

const flagsSchema = z.object({
  room: z
    .string({ error: '--room is required, e.g. --room project:web or --room logs:web:api' })
    .pipe(roomNameSchema),
  since: z.coerce
    .number({ error: '--since must be a seq number (0 replays the retained history)' })
    .int('--since must be a whole number')
    .nonnegative('--since must be 0 or more')
    .optional(),
  json: z.boolean().default(false),
  url: z.url('--url (or OPSROOM_URL) must be a URL like http://localhost:3000').default(DEFAULT_URL),
  token: z.string({ error: '--token or OPSROOM_TOKEN is required (a token with read scope)' }).min(1),
});

export interface TailIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Readonly<Record<string, string | undefined>>;
}

const defaultIo: TailIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

export async function tailCommand(argv: string[], io: TailIo = defaultIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    room: { type: 'string' },
    since: { type: 'string' },
    json: { type: 'boolean' },
    url: { type: 'string' },
    token: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`);
  const parsed = flagsSchema.safeParse({
    ...values,
    url: values.url ?? nonEmpty(io.env.OPSROOM_URL),
    token: values.token ?? nonEmpty(io.env.OPSROOM_TOKEN),
  });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
  const flags = parsed.data;
  const say = (message: string): void => {
    io.stderr.write(`opsroom: ${message}\n`);
  };

  const client = createRealtimeClient({ url: flags.url, token: flags.token, autoConnect: false });
  /** Seq of the last event printed (or the --since we started after). */
  let printed: number | null = flags.since ?? null;
  let outage = false;

  const print = (envelope: Envelope): void => {
    printed = envelope.seq;
    if (flags.json) io.stdout.write(`${JSON.stringify(envelope)}\n`);
    else for (const line of formatEventLines(envelope)) io.stdout.write(`${line}\n`);
  };

  return new Promise<number>((resolve) => {
    let done = false;
    const finish = (code: number): void => {
      if (done) return;
      done = true;
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, onSignal);
      io.stdout.off('error', onOutputError);
      client.close();
      resolve(code);
    };
    const onSignal = (): void => finish(0);
    // `opsroom tail ... | head` closes our stdout: that is the reader saying "enough".
    const onOutputError = (error: NodeJS.ErrnoException): void => finish(error.code === 'EPIPE' ? 0 : 1);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, onSignal);
    io.stdout.on('error', onOutputError);

    client.subscribeState((state: ConnectionState) => {
      if (state.status === 'connected' && outage) {
        outage = false;
        say(`connected again; resuming ${flags.room} after seq ${printed ?? 0}`);
      } else if (state.status === 'reconnecting' && !outage) {
        outage = true;
        say(
          `lost ${flags.url} (${state.lastError?.message ?? 'no connection'}); reconnecting, nothing will be missed`,
        );
      } else if (state.status === 'offline' && state.lastError !== null) {
        say(`${state.lastError.code}: ${state.lastError.message}`);
        finish(1);
      }
    });

    client.subscribe(
      flags.room,
      {
        onEvents: (envelopes) => envelopes.forEach(print),
        onReset: (snapshot, seq) => {
          if (printed === null) {
            // First subscribe without --since: start at the room's current seq.
            printed = seq;
            say(`following ${flags.room} after seq ${seq} (--since 0 replays the retained history)`);
            return;
          }
          say(
            `reset: the server's history no longer reaches seq ${printed} (pruned); continuing after seq ${seq}, from the room's current state:`,
          );
          for (const envelope of snapshot) print(envelope);
          printed = seq;
        },
        onError: (error) => {
          say(`cannot follow ${flags.room}: ${error.code}: ${error.message}`);
          finish(1);
        },
      },
      flags.since === undefined ? {} : { since: flags.since },
    );
    client.connect();
  });
}
