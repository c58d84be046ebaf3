/**
 * `opsroom run` against a real server (issue 6 acceptance): a command printing 20,000 numbered
 * lines over ~10 s and exiting 3, with the server stopped for 5 s in the middle. Afterwards
 * the CLI has exited 3, the log stream holds exactly the 20,000 lines in order and the build
 * is `failed`. Plus: success, unreachable from the start (buffering with the child held by
 * backpressure), interruption, a missing command and usage errors.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import { adminToken, history } from '../helpers/api';
import { startCli, type CliProcess } from '../helpers/cli-process';
import { freePort } from '../helpers/free-port';
import { ROOT, startOpsroom, type OpsroomProcess } from '../helpers/server-process';

const PROJECT = 'cli-run';
const PRINTER = path.join(ROOT, 'tests', 'fixtures', 'print-numbered-lines.mjs');

let dataDir: string;
let server: OpsroomProcess;
let token: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'opsroom-cli-run-'));
  server = await startOpsroom({ dataDir, keepData: true });
  token = await adminToken(server.url);
});

afterAll(async () => {
  await server?.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every event of a room, oldest first, through the history API (1,000 per page). */
async function allEvents(url: string, room: string, readToken = token): Promise<Envelope[]> {
  const events: Envelope[] = [];
  for (;;) {
    const page = await history(url, readToken, room, events.at(-1)?.seq ?? 0, 1000);
    expect(page.status).toBe(200);
    events.push(...page.json.events);
    if (page.json.events.length === 0 || events.at(-1)?.seq === page.json.seq) return events;
  }
}

interface StoredLine {
  text: string;
  level?: string;
}

async function storedLines(url: string, stream: string, readToken = token): Promise<StoredLine[]> {
  const events = await allEvents(url, `logs:${PROJECT}:${stream}`, readToken);
  return events.flatMap((event) => (event.payload as { lines: StoredLine[] }).lines);
}

async function buildEvents(url: string, buildId: string): Promise<Array<Record<string, unknown>>> {
  const events = await allEvents(url, `project:${PROJECT}`);
  return events
    .filter((event) => event.type === 'build:progress' && event.payload.buildId === buildId)
    .map((event) => event.payload);
}

const numbered = (count: number): string[] =>
  Array.from(
    { length: count },
    (_, i) => `line ${String(i + 1).padStart(String(count).length, '0')} of ${count}`,
  );

function run(args: string[], command: string[], url = server.url): CliProcess {
  return startCli(['run', '--project', PROJECT, ...args, '--url', url, '--token', token, '--', ...command]);
}

describe('opsroom run', () => {
  it('loses no line while the server is stopped for 5 s mid-run; exits 3 and the build is failed', async () => {
    const cli = run(
      ['--build', 'acceptance'],
      [process.execPath, PRINTER, '20000', '10000', '3', '1000', '4'],
    );
    await cli.waitForStderr((text) => text.includes('build acceptance of cli-run: logs at'));
    // "In the middle": the command has printed (and run has read) 6,001 lines.
    await cli.waitForStdout((text) => text.includes('line 06001 of 20000'), 60_000, 'line 6001');
    expect(await server.stop('SIGTERM')).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    server = await startOpsroom({ dataDir, keepData: true, port: server.port });

    expect(await cli.exited).toBe(3);
    // The outage was reported once, on stderr, and its end too.
    expect(cli.stderr().match(/opsroom: cannot reach/g)).toHaveLength(1);
    expect(cli.stderr().match(/opsroom: \S+ accepts events again after/g)).toHaveLength(1);
    expect(cli.stderr()).toMatch(
      /build acceptance failed: command exited with code 3; 20000 lines delivered/,
    );

    const lines = await storedLines(server.url, 'build-acceptance');
    expect(lines.map((line) => line.text)).toEqual(numbered(20000));
    // stdout is info, stderr (every 1,000th line) is error; the markers are not logged.
    expect(lines.filter((line) => line.level === 'error').map((line) => line.text)).toEqual(
      numbered(20000).filter((_, i) => (i + 1) % 1000 === 0),
    );
    expect(lines.filter((line) => line.level !== 'error' && line.level !== 'info')).toEqual([]);

    const builds = await buildEvents(server.url, 'acceptance');
    expect(builds.map((b) => [b.status, b.progress])).toEqual([
      ['queued', 0],
      ['in-progress', 0],
      ['in-progress', 20],
      ['in-progress', 40],
      ['in-progress', 60],
      ['in-progress', 80],
      ['failed', 80],
    ]);
    const snapshot = await fetch(`${server.url}/api/rooms/project:${PROJECT}/snapshot`, {
      headers: { authorization: `Bearer ${token}` },
    }).then((r) => r.json() as Promise<{ snapshot: Envelope[] }>);
    const build = snapshot.snapshot.find(
      (e) => e.type === 'build:progress' && e.payload.buildId === 'acceptance',
    );
    expect(build?.payload).toMatchObject({
      status: 'failed',
      message: 'exited with code 3',
      step: 'Step 4',
      currentStep: 4,
      totalSteps: 4,
    });
  }, 240_000);

  it('a command that succeeds completes the build and exits 0; the build id is generated', async () => {
    const cli = run([], [process.execPath, PRINTER, '500', '200', '0']);
    expect(await cli.exited).toBe(0);
    const buildId = /build ([0-9a-z]{26}) of cli-run/.exec(cli.stderr())?.[1];
    expect(buildId, cli.stderr()).toBeDefined();
    // The command's output still reaches the terminal.
    expect(cli.stdoutLines()).toEqual(numbered(500));
    expect((await storedLines(server.url, `build-${buildId}`)).map((l) => l.text)).toEqual(numbered(500));
    const builds = await buildEvents(server.url, buildId ?? '');
    expect(builds.at(-1)).toMatchObject({ status: 'complete', progress: 100, message: 'exited with code 0' });
  });

  it('buffers while Opsroom is unreachable from the start, holding the command by backpressure', async () => {
    const laterDir = mkdtempSync(path.join(tmpdir(), 'opsroom-cli-run-later-'));
    let later = await startOpsroom({ dataDir: laterDir, keepData: true });
    const laterToken = await adminToken(later.url);
    const port = later.port;
    await later.stop('SIGTERM');
    try {
      const cli = startCli([
        'run',
        '--project',
        PROJECT,
        '--build',
        'offline-start',
        '--max-pending',
        '4',
        '--url',
        later.url,
        '--token',
        laterToken,
        '--',
        process.execPath,
        PRINTER,
        '20000',
        '100',
        '0',
      ]);
      await cli.waitForStderr(
        (text) => text.includes(`cannot reach ${later.url}`),
        30_000,
        'the outage note',
      );
      // Held: with at most 4 events queued, run stops reading and the command blocks in write().
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const echoed = cli.stdoutLines().length;
      expect(echoed).toBeLessThan(20000);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(cli.stdoutLines().length).toBe(echoed);
      expect(cli.child.exitCode).toBeNull();

      later = await startOpsroom({ dataDir: laterDir, keepData: true, port });
      expect(await cli.exited).toBe(0);
      expect(cli.stdoutLines()).toEqual(numbered(20000));
      const lines = await storedLines(later.url, 'build-offline-start', laterToken);
      expect(lines.map((line) => line.text)).toEqual(numbered(20000));
    } finally {
      await later.cleanup();
      rmSync(laterDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('gives up after --flush-timeout when Opsroom stays unreachable: says how much was lost, exits 1', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const cli = run(
      ['--build', 'lost', '--flush-timeout', '2'],
      [process.execPath, PRINTER, '10', '100', '0'],
      nowhere,
    );
    expect(await cli.exited).toBe(1);
    expect(cli.stdoutLines()).toEqual(numbered(10));
    expect(cli.stderr()).toContain(`opsroom: cannot reach ${nowhere}`);
    expect(cli.stderr()).toContain('opsroom: waiting up to 2 s to deliver');
    expect(cli.stderr()).toMatch(/opsroom: 10 of 10 lines \(\d+ of \d+ events\) were not delivered/);
    expect(cli.stderr()).toContain('build lost complete: command exited with code 0; delivery incomplete');
  });

  it('keeps running the command when the token is refused, and passes its failure on', async () => {
    const refused = startCli([
      'run',
      '--project',
      PROJECT,
      '--url',
      server.url,
      '--token',
      'not-a-real-token',
      '--',
      process.execPath,
      PRINTER,
      '300',
      '1000',
      '4',
    ]);
    expect(await refused.exited).toBe(4);
    expect(refused.stdoutLines()).toEqual(numbered(300));
    expect(refused.stderr()).toContain('opsroom: stopped publishing: 401');
    expect(refused.stderr()).toContain('opsroom: the command keeps running; its output is no longer sent');
    expect(refused.stderr()).toMatch(/opsroom: 300 of 300 lines .* were not delivered/);
  });

  it('works through the npx entry (bin/opsroom.mjs), exit code included', async () => {
    const child = spawn(
      process.execPath,
      [
        path.join(ROOT, 'bin', 'opsroom.mjs'),
        'run',
        '--project',
        PROJECT,
        '--build',
        'npx',
        '--url',
        server.url,
        '--token',
        token,
        '--',
        process.execPath,
        '-e',
        'console.log("via npx"); process.exit(5)',
      ],
      { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const [code] = (await once(child, 'close')) as [number];
    expect(code).toBe(5);
    expect((await storedLines(server.url, 'build-npx')).map((l) => l.text)).toEqual(['via npx']);
  });

  it('passes SIGINT on to the command and records the build as cancelled', async () => {
    const cli = run(
      ['--build', 'interrupted'],
      [process.execPath, '-e', 'console.log("waiting"); setInterval(() => {}, 1000)'],
    );
    await cli.waitForStdout((text) => text.includes('waiting'));
    cli.kill('SIGINT');
    expect(await cli.exited).toBe(130);
    expect(cli.stderr()).toContain(
      'build interrupted cancelled (SIGINT): command killed by SIGINT (exit code 130)',
    );
    const builds = await buildEvents(server.url, 'interrupted');
    expect(builds.at(-1)).toMatchObject({ status: 'cancelled' });
    expect((await storedLines(server.url, 'build-interrupted')).map((l) => l.text)).toEqual(['waiting']);
  });

  it('a missing command fails the build with exit code 127', async () => {
    const cli = run(['--build', 'missing'], ['opsroom-no-such-command', '--version']);
    expect(await cli.exited).toBe(127);
    expect(cli.stderr()).toContain('command not found: opsroom-no-such-command');
    const builds = await buildEvents(server.url, 'missing');
    expect(builds.map((b) => b.status)).toEqual(['queued', 'failed']);
  });

  it('usage errors exit 2 before anything runs', async () => {
    const marker = path.join(dataDir, 'ran');
    const touch = [process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`];
    const cases: Array<{ args: string[]; message: string }> = [
      {
        args: ['run', '--project', 'Bad Slug', '--token', token, '--', ...touch],
        message: '--project must match',
      },
      { args: ['run', '--token', token, '--', ...touch], message: '--project is required' },
      { args: ['run', '--project', PROJECT, '--token', token], message: 'the command to run goes after --' },
      {
        args: ['run', '--project', PROJECT, '--', ...touch],
        message: '--token or OPSROOM_TOKEN is required',
      },
      {
        args: ['run', '--project', PROJECT, '--token', token, '--flush-timeout', 'never', '--', ...touch],
        message: '--flush-timeout must be a number',
      },
    ];
    const runs = cases.map(({ args, message }) => ({
      args,
      message,
      cli: startCli(args, { OPSROOM_TOKEN: '', OPSROOM_URL: '' }),
    }));
    for (const { args, message, cli } of runs) {
      expect(await cli.exited, args.join(' ')).toBe(2);
      expect(cli.stderr()).toContain(message);
      expect(cli.stderr()).toContain('usage: opsroom');
    }
    expect(existsSync(marker)).toBe(false);
  });
});
