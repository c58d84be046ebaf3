// What the test suites need beyond npm, found or installed (apt, when root), or one line
// saying exactly what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

const which = (name) => {
  const result = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
};

function aptInstall(pkg) {
  if (process.getuid?.() !== 0 || which('apt-get') === null) return false;
  process.stdout.write(`installing ${pkg} with apt-get...\n`);
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', pkg], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return true;
  } catch {
    return false;
  }
}

/** Path of a Chromium for Playwright, or null after printing what to install. */
export function findChromium() {
  const candidates = [
    process.env.OPSROOM_CHROMIUM,
    which('chromium'),
    which('chromium-browser'),
    '/usr/bin/chromium',
  ];
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
  if (aptInstall('chromium')) {
    const installed = which('chromium');
    if (installed) return installed;
  }
  process.stderr.write(
    'opsroom tests: Chromium is missing; install it with `apt-get install -y chromium` (or set OPSROOM_CHROMIUM).\n',
  );
  return null;
}

/** redis-server on PATH (the cluster suites spawn private ones), installed with apt when possible. */
export function findRedisServer() {
  const found = which('redis-server');
  if (found) return found;
  if (aptInstall('redis-server')) {
    const installed = which('redis-server');
    if (installed) return installed;
  }
  process.stderr.write(
    'opsroom tests: redis-server is missing; install it with `apt-get install -y redis-server`.\n',
  );
  return null;
}

/**
 * A reachable PostgreSQL for the store suites (OPSROOM_TEST_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test). A local cluster that is installed but stopped is
 * started; otherwise one line says what to do.
 */
export async function ensurePostgres() {
  const url = new URL(process.env.OPSROOM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const host = url.hostname;
  const port = Number(url.port || 5432);
  if (await canConnect(host, port)) return true;
  if (['127.0.0.1', 'localhost'].includes(host) && which('pg_ctlcluster') !== null) {
    const versions = spawnSync('ls', ['/etc/postgresql'], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n')
      .filter(Boolean);
    for (const version of versions) {
      spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
        stdio: 'inherit',
      });
    }
    for (let i = 0; i < 20; i++) {
      if (await canConnect(host, port)) return true;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  process.stderr.write(
    `opsroom tests: PostgreSQL is not reachable at ${host}:${port}; start it (pg_ctlcluster <version> main start) or install it (apt-get install -y postgresql), or set OPSROOM_TEST_DATABASE_URL.\n`,
  );
  return false;
}

function canConnect(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
