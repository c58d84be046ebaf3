/**
 * The quick start: `npm start` (scripts/start.mjs) serves /api/health and the page on its
 * embedded defaults, and stops cleanly on SIGTERM (exit 0).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/api';
import { freePort } from '../helpers/free-port';
import { ROOT } from '../helpers/server-process';

describe('npm start', () => {
  it('serves health and the setup page on embedded defaults, then exits 0 on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'opsroom-start-'));
    const port = await freePort();
    // No admin variables, no DATABASE_URL: everything from defaults inside the data dir.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      OPSROOM_DATA_DIR: dataDir,
    };
    delete env.OPSROOM_ADMIN_EMAIL;
    delete env.OPSROOM_ADMIN_PASSWORD;
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit');
    try {
      await waitFor(() => output.includes('"msg":"listening"'), 60_000, 'the server to listen');
      const url = `http://127.0.0.1:${port}`;
      const health = await fetch(`${url}/api/health`);
      expect(health.status).toBe(200);
      // With no user yet, the dashboard sends the first visitor (through login) to setup.
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(new URL(page.url).pathname).toBe('/setup');
      const setup = await fetch(`${url}/setup`);
      expect(setup.status).toBe(200);
      expect(await setup.text()).toContain('Create the first admin account');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
