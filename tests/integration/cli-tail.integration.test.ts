/**
 * `opsroom tail` against a real server: live events printed one line each, and across a
 * server restart the stream resumes by seq with no gap and no duplicate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import { adminToken, buildEvent, postEvents, range } from '../helpers/api';
import { startCli } from '../helpers/cli-process';
import { startOpsroom, type OpsroomProcess } from '../helpers/server-process';

const PROJECT = 'tail-test';
const ROOM = `project:${PROJECT}`;

let dataDir: string;
let server: OpsroomProcess;
let token: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'opsroom-tail-'));
  server = await startOpsroom({ dataDir, keepData: true });
  token = await adminToken(server.url);
});

afterAll(async () => {
  await server?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

async function publishBuilds(from: number, to: number): Promise<void> {
  for (let start = from; start <= to; start += 10) {
    const events = range(start, Math.min(start + 9, to)).map((n) => buildEvent(ROOM, n));
    const reply = await postEvents(server.url, token, { events });
    expect(reply.status, JSON.stringify(reply.json)).toBe(202);
  }
}

describe('opsroom tail', () => {
  it('prints live events, one line per log line, and exits cleanly on SIGINT', async () => {
    const stream = 'api';
    const tail = startCli([
      'tail',
      '--room',
      `logs:${PROJECT}:${stream}`,
      '--url',
      server.url,
      '--token',
      token,
    ]);
    await tail.waitForStderr((text) => text.includes(`following logs:${PROJECT}:${stream} after seq 0`));
    const reply = await postEvents(server.url, token, {
      events: [
        {
          room: `logs:${PROJECT}:${stream}`,
          type: 'logs:stream',
          payload: {
            stream,
            lines: [
              { ts: '2026-11-30T10:00:00.100Z', text: 'GET /health 200', level: 'info' },
              { ts: '2026-11-30T10:00:00.200Z', text: 'disk almost full', level: 'warn' },
            ],
          },
        },
        {
          room: `logs:${PROJECT}:${stream}`,
          type: 'logs:stream',
          payload: { stream, lines: [{ ts: '2026-11-30T10:00:01.000Z', text: 'no level given' }] },
        },
      ],
    });
    expect(reply.status).toBe(202);
    await tail.waitForStdout((text) => text.includes('no level given'));
    expect(tail.stdoutLines()).toEqual([
      '10:00:00.100 #1 INFO  GET /health 200',
      '10:00:00.200 #1 WARN  disk almost full',
      '10:00:01.000 #2 INFO  no level given',
    ]);
    tail.kill('SIGINT');
    expect(await tail.exited).toBe(0);
  });

  it('resumes by seq after the server restarts: every event once, in order', async () => {
    await publishBuilds(1, 30);
    const tail = startCli([
      'tail',
      '--room',
      ROOM,
      '--since',
      '0',
      '--json',
      '--url',
      server.url,
      '--token',
      token,
    ]);
    const seqsPrinted = () => tail.stdoutLines().map((line) => (JSON.parse(line) as Envelope).seq);
    await tail.waitForStdout(() => seqsPrinted().length >= 30, 30_000, 'the retained history');
    await publishBuilds(31, 60);
    await tail.waitForStdout(() => seqsPrinted().at(-1) === 60, 30_000, 'live events');

    expect(await server.stop('SIGTERM')).toBe(0);
    await tail.waitForStderr((text) => text.includes('reconnecting'), 30_000, 'the outage note');
    server = await startOpsroom({ dataDir, keepData: true, port: server.port });
    // Published at once: the tail is most likely still waiting out its backoff, so these
    // come from the resubscribe's history (since 60) rather than live.
    await publishBuilds(61, 100);
    await tail.waitForStderr((text) => text.includes(`resuming ${ROOM} after seq 60`), 60_000, 'the resume');
    await publishBuilds(101, 120);
    await tail.waitForStdout(() => seqsPrinted().at(-1) === 120, 30_000, 'events after the restart');

    expect(seqsPrinted()).toEqual(range(1, 120));
    const last = JSON.parse(tail.stdoutLines().at(-1) ?? '{}') as Envelope;
    expect(last).toMatchObject({ room: ROOM, type: 'build:progress', payload: { step: 'step 120' } });
    tail.kill('SIGTERM');
    expect(await tail.exited).toBe(0);
  });

  it('refuses a bad token and bad arguments with their exit codes', async () => {
    const refused = startCli(['tail', '--room', ROOM, '--url', server.url, '--token', 'not-a-token']);
    expect(await refused.exited).toBe(1);
    expect(refused.stderr()).toContain('UNAUTHORIZED');

    const usage = startCli(['tail', '--room', 'nonsense', '--url', server.url, '--token', token]);
    expect(await usage.exited).toBe(2);
    expect(usage.stderr()).toContain('room must be project:<slug>');

    const since = startCli(['tail', '--room', ROOM, '--since', '-3', '--token', token]);
    expect(await since.exited).toBe(2);
  });
});
