/**
 * `npm run demo` against a real server: it publishes a realistic, labelled workload through
 * the public HTTP API and stops cleanly, leaving projects, snapshots and log history a
 * dashboard can show. Also its no-token and server-down paths.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '@/lib/shared/envelope';
import { adminToken, history } from '../helpers/api';
import { freePort } from '../helpers/free-port';
import { ROOT, startOpsroom, type OpsroomProcess } from '../helpers/server-process';

function demo(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/demo.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, OPSROOM_TOKEN: '', OPSROOM_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function get<T>(url: string, token: string): Promise<T> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

describe('npm run demo', () => {
  let server: OpsroomProcess;
  let token: string;

  beforeAll(async () => {
    server = await startOpsroom({ env: { LOG_LEVEL: 'warn' } });
    token = await adminToken(server.url);
  });
  afterAll(async () => server?.cleanup());

  it('publishes a labelled, realistic workload and stops with a summary', async () => {
    const run = await demo([
      '--url',
      server.url,
      '--token',
      token,
      '--duration',
      '8',
      '--speed',
      '4',
      '--seed',
      '1',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/build #\d+ started/);
    const published = Number(/published (\d+) events to 3 projects/.exec(run.stdout)?.[1]);
    expect(published).toBeGreaterThan(300);

    const { projects } = await get<{ projects: Array<{ slug: string; eventCount?: number }> }>(
      `${server.url}/api/projects`,
      token,
    );
    // (The server may list projects of its own; the demo's are the demo-* ones.)
    const slugs = projects
      .map((p) => p.slug)
      .filter((slug) => slug.startsWith('demo-'))
      .sort();
    expect(slugs).toEqual(['demo-api', 'demo-data', 'demo-shop']);

    for (const slug of slugs) {
      const room = `project:${slug}`;
      const { snapshot } = await get<{ snapshot: Envelope[] }>(
        `${server.url}/api/rooms/${encodeURIComponent(room)}/snapshot`,
        token,
      );
      const byType = (type: string) => snapshot.filter((e) => e.type === type);
      expect(byType('service:status').map((e) => e.payload.service)).toEqual(
        expect.arrayContaining(['api', 'web', 'worker', 'postgres', 'redis']),
      );
      expect(byType('build:progress').length).toBeGreaterThan(0);
      expect(byType('runner:status').length).toBeGreaterThanOrEqual(4);
      expect(byType('workflow:update').length).toBeGreaterThan(0);
      expect(byType('docker:stats')).toHaveLength(4);
      expect(byType('run:complete')).toHaveLength(1);
      expect(byType('baseline:updated').length).toBeGreaterThan(0);
      for (const e of snapshot) expect(e.source).toBe('token:test');

      // The room starts with the demo label; the benchmark found its regression.
      const events = (await history(server.url, token, room)).json.events;
      expect(events[0]).toMatchObject({
        type: 'notification',
        payload: { level: 'info', title: 'Demo data', body: 'Simulated by npm run demo' },
      });
      expect(events.some((e) => e.type === 'regression:detected')).toBe(true);

      // Each build has a log stream with lines.
      const buildId = String(byType('build:progress')[0]?.payload.buildId);
      const logs = await history(server.url, token, `logs:${slug}:build-${buildId}`);
      expect(logs.status).toBe(200);
      const lines = logs.json.events.flatMap((e) => e.payload.lines as Array<{ text: string }>);
      expect(lines.length).toBeGreaterThan(3);
      const apiLogs = await history(server.url, token, `logs:${slug}:api`);
      expect(apiLogs.json.events.length).toBeGreaterThan(0);
    }
  });

  it('creates a demo token in the local database when none is given', async () => {
    const run = await demo(
      ['--url', server.url, '--duration', '1.5', '--speed', '4', '--projects', 'demo-solo'],
      {
        OPSROOM_DATA_DIR: server.dataDir,
        DATABASE_URL: `file:${path.join(server.dataDir, 'opsroom.db')}`,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No --token given: created API token "demo"');
    const created = /OPSROOM_TOKEN=(\S+)/.exec(run.stdout)?.[1] ?? '';
    const { projects } = await get<{ projects: Array<{ slug: string }> }>(
      `${server.url}/api/projects`,
      created,
    );
    expect(projects.map((p) => p.slug).filter((slug) => slug.startsWith('demo-'))).toEqual(['demo-solo']);
  });

  it('says in one line when the server is down, and refuses bad options with exit 2', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const down = await demo(['--url', url, '--token', 'x']);
    expect(down.code).toBe(1);
    expect(down.stderr).toBe(`demo: cannot reach ${url}; start it with npm start\n`);

    const bad = await demo(['--projects', 'shop']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('demo-');
  });
});
