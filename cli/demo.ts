/**
 * `npm run demo`: a realistic simulated workload for a few demo-* projects (services,
 * builds with logs, deploys, CI runners and workflow runs, autoscaling, containers, saved
 * queries, a benchmark with a regression), published through the public HTTP API like any
 * publisher would. Everything it sends is labelled as demo data. See cli/demo/.
 *
 *   npm run demo -- [--url URL] [--token TOKEN] [--duration S] [--speed X] [--projects a,b] [--seed N]
 */
import { randomBytes, randomInt } from 'node:crypto';
import { createPublisher, type Publisher } from '@/lib/sdk';
import { UsageError } from './args';
import type { DemoNote, NoteTone } from './demo/context';
import { DEMO_USAGE, parseDemoOptions, type DemoOptions } from './demo/options';
import { createSimulation } from './demo/simulation';
import { createLocalDemoToken } from './demo/token';

const out = (line: string): boolean => process.stdout.write(`${line}\n`);
const err = (line: string): boolean => process.stderr.write(`demo: ${line}\n`);
const useColour = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: number, text: string): string => (useColour ? `\u001b[${code}m${text}\u001b[0m` : text);
const TONES: Record<NoteTone, string> = {
  info: paint(36, '•'),
  ok: paint(32, '✓'),
  warn: paint(33, '!'),
  error: paint(31, '✗'),
};

/** 'ok' when /api/health answers (even 503: the publisher retries), else why not. */
async function checkServer(url: string): Promise<'ok' | 'unreachable' | 'not-opsroom'> {
  try {
    const response = await fetch(new URL('/api/health', url), { signal: AbortSignal.timeout(5000) });
    const body = (await response.json().catch(() => null)) as { status?: unknown } | null;
    if ((response.status === 200 || response.status === 503) && body !== null && 'status' in body)
      return 'ok';
    return 'not-opsroom';
  } catch {
    return 'unreachable';
  }
}

async function resolveToken(options: DemoOptions): Promise<{ token: string; local: boolean } | null> {
  if (options.token !== undefined) return { token: options.token, local: false };
  try {
    const created = await createLocalDemoToken(options.projects);
    out(
      `No --token given: created API token "demo" (${created.id}; publish, read on ${options.projects.join(', ')}) in ${created.database}.`,
    );
    out(`  Reuse it with: OPSROOM_TOKEN=${created.token} npm run demo`);
    return { token: created.token, local: true };
  } catch (error) {
    err(
      `no --token given, and creating one in the local database failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return null;
  }
}

function printSummary(publisher: Publisher, elapsedMs: number, projects: string[]): void {
  const { stats } = publisher;
  const types = [...stats.byType.entries()].sort((a, b) => b[1] - a[1]);
  const problems = [
    stats.retries > 0 ? `${stats.retries} retries` : '',
    stats.rejected > 0 ? `${stats.rejected} rejected` : '',
    stats.dropped > 0 ? `${stats.dropped} not delivered` : '',
  ].filter(Boolean);
  out(
    `Demo stopped after ${(elapsedMs / 1000).toFixed(1)}s: published ${stats.published} events to ${projects.length} project${projects.length === 1 ? '' : 's'} in ${stats.requests} request${stats.requests === 1 ? '' : 's'}${problems.length > 0 ? ` (${problems.join(', ')})` : ''}.`,
  );
  if (types.length > 0) out(`  ${types.map(([type, n]) => `${type} ${n}`).join(', ')}`);
}

async function main(argv: string[]): Promise<number> {
  let options: DemoOptions | null;
  try {
    options = parseDemoOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`${error.message} (see npm run demo -- --help)`);
    return 2;
  }
  if (options === null) {
    out(DEMO_USAGE);
    return 0;
  }

  const reach = await checkServer(options.url);
  if (reach === 'unreachable') {
    err(`cannot reach ${options.url}; start it with npm start`);
    return 1;
  }
  if (reach === 'not-opsroom') {
    err(`${options.url}/api/health did not answer like an Opsroom server; check --url`);
    return 1;
  }
  const auth = await resolveToken(options);
  if (auth === null) return 1;

  const seed = options.seed ?? randomInt(0, 2 ** 32 - 1);
  const projects = options.projects;
  out(
    `Opsroom demo → ${options.url}: simulated data for ${projects.join(', ')} (seed ${seed}, speed ${options.speed}x, ${options.duration === undefined ? 'until Ctrl-C' : `${options.duration}s`}).`,
  );

  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  const publisher = createPublisher({
    url: options.url,
    token: auth.token,
    idPrefix: `demo-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
    onStatus: (message) => err(message),
  });
  const printNote = (note: DemoNote): void => {
    const at = `${(elapsed() / 1000).toFixed(1)}s`.padStart(7);
    out(`${paint(2, at)} ${note.project.padEnd(14)} ${TONES[note.tone]} ${note.text}`);
  };
  const simulation = createSimulation({
    seed,
    projects,
    onEvent: (event) => publisher.publish(event),
    onNote: printNote,
    wallClock: () => Date.now(),
  });

  const speed = options.speed;
  const reason = await new Promise<string>((resolve) => {
    const ticker = setInterval(() => {
      if (publisher.fatal !== null) finish('fatal');
      else simulation.advanceTo(elapsed() * speed);
    }, 50);
    const deadline =
      options.duration === undefined ? null : setTimeout(() => finish('duration'), options.duration * 1000);
    const onSignal = (signal: NodeJS.Signals): void => finish(signal);
    function finish(why: string): void {
      clearInterval(ticker);
      if (deadline !== null) clearTimeout(deadline);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // A second Ctrl-C while flushing leaves at once.
      process.once('SIGINT', () => process.exit(130));
      resolve(why);
    }
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });

  if (reason === 'SIGINT') out('');
  simulation.stop();
  if (publisher.pending > 0 && publisher.fatal === null) out(`Sending the last ${publisher.pending} events…`);
  const flushed = await publisher.close(10_000);
  const fatal = publisher.fatal;
  if (fatal !== null) {
    err(`the server refused the events: ${fatal.message}`);
    if (auth.local)
      err(
        `the token was created in the local database; the server at ${options.url} uses another one (run the demo with the server's DATABASE_URL/OPSROOM_DATA_DIR, or pass --token)`,
      );
  }
  printSummary(publisher, elapsed(), projects);
  return fatal === null && flushed ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    err(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
