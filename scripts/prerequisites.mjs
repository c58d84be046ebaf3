// What the test suites need beyond npm, found or installed (apt, when root), or one line
// saying exactly what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

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
