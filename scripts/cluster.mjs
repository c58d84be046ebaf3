#!/usr/bin/env node
// `npm run cluster`: a local three-instance cluster for trying scale-out. Starts a private
// redis-server (free port, no persistence) and Opsroom on ports 3001-3003 sharing PostgreSQL
// schema "opsroom_cluster" (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
// and one data directory (./data/cluster, so one generated secret). Ctrl-C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { setTimeout } from 'node:timers';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dataDir = path.join(root, 'data', 'cluster');
const ports = [3001, 3002, 3003];
const children = [];
let redis;

async function fail(message) {
  process.stderr.write(`opsroom cluster: ${message}\n`);
  await stopAll(1);
}

let stopping = false;
/** Instances first (they say goodbye through Redis), then redis-server. */
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  const exited = (child) =>
    child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null;
  const servers = children.filter((child) => child !== redis);
  for (const child of servers) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.race([
    Promise.all(servers.map(exited)),
    new Promise((resolve) => setTimeout(resolve, 12_000)),
  ]);
  redis?.kill('SIGKILL');
  process.exit(code);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    const status = await new Promise((resolve) => {
      // Any failure (not listening yet) counts as "not yet".
      get(`${url}/api/health`, (response) => {
        response.resume();
        resolve(response.statusCode);
      }).on('error', () => resolve(0));
    });
    if (status === 200) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
  await fail('redis-server is not installed (apt-get install redis-server).');
}
if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
  process.stderr.write('opsroom cluster: no production build yet; running `next build` once...\n');
  const build = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'],
    {
      cwd: root,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
}
mkdirSync(dataDir, { recursive: true });

const redisPort = await freePort();
redis = spawn(
  'redis-server',
  ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
  {
    stdio: 'ignore',
  },
);
children.push(redis);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stopAll(0));

const instances = [];
for (const [index, port] of ports.entries()) {
  const id = String.fromCharCode(97 + index);
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      OPSROOM_DATABASE_SCHEMA: 'opsroom_cluster',
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      OPSROOM_INSTANCE_ID: id,
      OPSROOM_DATA_DIR: dataDir,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  instances.push({ id, url: `http://localhost:${port}`, child });
  // The first instance creates the schema and the secret before the others start.
  if (index === 0 && !(await waitHealthy(instances[0].url, child)))
    await fail(`instance a did not start (is PostgreSQL at ${databaseUrl} up?)`);
}
for (const { id, url, child } of instances.slice(1)) {
  if (!(await waitHealthy(url, child))) await fail(`instance ${id} did not start`);
}
process.stdout.write(
  `opsroom cluster: redis on 127.0.0.1:${redisPort}, PostgreSQL schema opsroom_cluster\n` +
    instances.map(({ id, url }) => `  instance ${id}: ${url}`).join('\n') +
    '\nCtrl-C stops all.\n',
);
for (const { id, child } of instances) {
  child.on('exit', (code) => process.stderr.write(`opsroom cluster: instance ${id} exited (${code})\n`));
}
