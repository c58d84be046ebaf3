/** `opsroom publish`: one event from the shell, through the HTTP API. */
import { z } from 'zod';
import { UsageError, parseFlags } from './args';

const flagsSchema = z.object({
  room: z.string({ error: '--room is required' }).min(1),
  type: z.string({ error: '--type is required' }).min(1),
  payload: z.string().default('{}'),
  id: z.string().optional(),
  url: z.url('--url must be a URL like http://localhost:3000').default('http://localhost:3000'),
  token: z.string({ error: '--token or OPSROOM_TOKEN is required' }).min(1),
});

export async function publishCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    room: { type: 'string' },
    type: { type: 'string' },
    payload: { type: 'string' },
    id: { type: 'string' },
    url: { type: 'string' },
    token: { type: 'string' },
  });
  const parsed = flagsSchema.safeParse({
    ...values,
    url: values.url ?? process.env.OPSROOM_URL,
    token: values.token ?? process.env.OPSROOM_TOKEN,
  });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
  const flags = parsed.data;
  let payload: unknown;
  try {
    payload = JSON.parse(flags.payload);
  } catch {
    throw new UsageError('--payload must be JSON, e.g. \'{"service":"api","status":"running"}\'');
  }
  const body = {
    room: flags.room,
    type: flags.type,
    payload,
    ...(flags.id !== undefined && { id: flags.id }),
  };
  let response: Response;
  try {
    response = await fetch(new URL('/api/events', flags.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${flags.token}` },
      body: JSON.stringify(body),
    });
  } catch {
    process.stderr.write(`opsroom: cannot reach ${flags.url}; is the server running?\n`);
    return 1;
  }
  const reply = (await response.json().catch(() => ({}))) as {
    accepted?: Array<{ id: string; room: string; seq: number }>;
    error?: { code: string; message: string; details?: unknown };
  };
  if (response.status !== 202 || reply.accepted === undefined) {
    const detail = reply.error?.details ? ` ${JSON.stringify(reply.error.details)}` : '';
    process.stderr.write(
      `opsroom: ${response.status} ${reply.error?.code ?? ''}: ${reply.error?.message ?? 'unexpected reply'}${detail}\n`,
    );
    return 1;
  }
  for (const accepted of reply.accepted)
    process.stdout.write(`accepted ${accepted.id} in ${accepted.room} at seq ${accepted.seq}\n`);
  return 0;
}
