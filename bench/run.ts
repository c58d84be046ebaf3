/**
 * Benchmark entry point: `npm run bench -- [scenario] [--option value ...]` (default scenario
 * `fanout`). Options may also come from BENCH_<OPTION> environment variables. See README.md.
 */
import { Args } from './lib/args';
import { OPTIONS as FANOUT_OPTIONS, runFanout } from './scenarios/fanout';
import { OPTIONS as COMPRESSION_OPTIONS, runCompression } from './scenarios/compression';
import { OPTIONS as CONNECTIONS_OPTIONS, runConnections } from './scenarios/connections';
import { OPTIONS as INGEST_OPTIONS, runIngest } from './scenarios/ingest';
import { OPTIONS as LATENCY_OPTIONS, runLatency } from './scenarios/latency';
import { OPTIONS as RESUME_OPTIONS, runResume } from './scenarios/resume';

interface Scenario {
  description: string;
  options: readonly string[];
  run: (args: Args) => Promise<void>;
}

const SCENARIOS: Record<string, Scenario> = {
  fanout: {
    description:
      'one room, N subscribers, fixed offered rate: Opsroom (batched / unbatched) vs plain Socket.IO vs raw ws',
    options: FANOUT_OPTIONS,
    run: runFanout,
  },
  ingest: {
    description:
      'POST /api/events throughput: batches of 1 and 100, concurrent publishers, SQLite and PostgreSQL',
    options: INGEST_OPTIONS,
    run: runIngest,
  },
  latency: {
    description: 'light load (10 ev/s, 100 subscribers): p50/p99 from POST to receipt',
    options: LATENCY_OPTIONS,
    run: runLatency,
  },
  compression: {
    description: 'per-message deflate off vs on, ~1 KiB log events: bytes on the wire and server CPU',
    options: COMPRESSION_OPTIONS,
    run: runCompression,
  },
  connections: {
    description:
      'RSS per idle subscribed connection and time to connect (Opsroom vs plain Socket.IO vs raw ws)',
    options: CONNECTIONS_OPTIONS,
    run: runConnections,
  },
  resume: {
    description: '1,000 clients drop, miss 1,000 events each, reconnect with since: time until all caught up',
    options: RESUME_OPTIONS,
    run: runResume,
  },
};

async function main(): Promise<void> {
  const args = new Args(process.argv.slice(2));
  const name = args.positional[0] ?? 'fanout';
  if (name === 'help' || args.flag('help')) {
    for (const [key, scenario] of Object.entries(SCENARIOS)) {
      console.log(
        `${key}: ${scenario.description}\n  options: ${scenario.options.map((o) => `--${o}`).join(' ')}`,
      );
    }
    return;
  }
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`unknown scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
  const unknown = args.unknown([...scenario.options, 'help']);
  if (unknown.length > 0)
    throw new Error(`unknown option(s) ${unknown.map((o) => `--${o}`).join(', ')} for ${name}`);
  await scenario.run(args);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
