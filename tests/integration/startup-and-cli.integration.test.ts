/**
 * Start-up validation and the admin CLI, as an operator would use them from a shell.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { history } from '../helpers/api';
import { ROOT, startOpsroom } from '../helpers/server-process';

const dataDir = mkdtempSync(path.join(tmpdir(), 'opsroom-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'cli/opsroom.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, OPSROOM_DATA_DIR: dataDir, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('start-up', () => {
  it('refuses a bad environment variable with one line naming it, exit code 1', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server.ts'], {
      cwd: ROOT,
      env: { ...process.env, OPSROOM_DATA_DIR: dataDir, BATCH_MAX_EVENTS: 'lots' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('BATCH_MAX_EVENTS');
  });
});

describe('admin CLI', () => {
  it('creates a token the running server accepts, publishes with it, lists and revokes it', async () => {
    const created = cli([
      'token',
      'create',
      '--name',
      'ci',
      '--project',
      'web',
      '--scope',
      'publish',
      '--scope',
      'read',
    ]);
    expect(created.code).toBe(0);
    const token = /Token \(shown only now\): (\S+)/.exec(created.stdout)?.[1];
    const id = /Created token (\S+)/.exec(created.stdout)?.[1];
    expect(token).toMatch(/^opsr_/);

    const server = await startOpsroom({ dataDir, keepData: true });
    try {
      const published = cli(
        [
          'publish',
          '--url',
          server.url,
          '--room',
          'project:web',
          '--type',
          'service:status',
          '--payload',
          '{"service":"api","status":"running"}',
        ],
        { OPSROOM_TOKEN: token ?? '' },
      );
      expect(published.stdout).toMatch(/accepted \S+ in project:web at seq 1/);
      expect(published.code).toBe(0);
      const invalid = cli(
        [
          'publish',
          '--url',
          server.url,
          '--room',
          'project:web',
          '--type',
          'service:status',
          '--payload',
          '{"service":"api"}',
        ],
        { OPSROOM_TOKEN: token ?? '' },
      );
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toContain('INVALID_EVENT');
      expect((await history(server.url, token ?? '', 'project:web')).json.events).toHaveLength(1);

      expect(cli(['token', 'list']).stdout).toContain(id);
      expect(cli(['token', 'revoke', id ?? '']).code).toBe(0);
      expect((await history(server.url, token ?? '', 'project:web')).status).toBe(401);
    } finally {
      await server.stop();
    }
  });

  it('explains usage errors with exit code 2', () => {
    const result = cli(['token', 'create', '--name', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: opsroom');
    expect(cli(['frobnicate']).code).toBe(2);
  });

  it('creates users that can log in', () => {
    const result = cli([
      'user',
      'create',
      '--email',
      'op@example.com',
      '--name',
      'Op',
      '--role',
      'operator',
      '--password',
      'operator-pass',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Created operator op@example.com');
  });
});
