/**
 * Benchmarks: a load-test suite runs (run:started, run:progress…, run:complete with results
 * per endpoint), is compared with the baselines, reports a regression with its severity and
 * an analysis, and moves the baselines of the tests that held up. The first run always finds
 * one regression so a short demo shows the whole flow; later runs now and then.
 */
import { round, seconds, type ProjectContext, type Scenario } from './context';

const SUITE = 'api-latency';
const TESTS: Array<{ test: string; p95: number; rps: number }> = [
  { test: 'GET /products', p95: 48, rps: 1850 },
  { test: 'GET /products/:id', p95: 31, rps: 2400 },
  { test: 'POST /cart/items', p95: 96, rps: 720 },
  { test: 'POST /checkout', p95: 182, rps: 260 },
];
const CAUSES = [
  'an N+1 query in cart totals (3 extra SELECTs per request)',
  'a missing index on orders(customer_id, created_at)',
  'JSON serialisation of the full product variant list',
  'a synchronous call to the tax service on the request path',
];

export function severityOf(changePercent: number): 'low' | 'medium' | 'high' | 'critical' {
  if (changePercent >= 50) return 'critical';
  if (changePercent >= 25) return 'high';
  if (changePercent >= 10) return 'medium';
  return 'low';
}

export function startBenchmarks(ctx: ProjectContext): Scenario {
  const rng = ctx.rng.fork('benchmarks');
  const baselines = new Map(TESTS.map((t) => [t.test, t.p95 * rng.float(0.9, 1.1)]));
  let counter = rng.int(300, 900);
  let first = true;
  let running: { runId: string; progress: number } | null = null;

  const run = (): void => {
    counter += 1;
    const runId = `bench-${counter}`;
    const current = { runId, progress: 0 };
    running = current;
    const regressed = first || rng.chance(0.4) ? rng.pick(TESTS) : null;
    const fails = !first && rng.chance(0.1);
    first = false;
    ctx.emit('run:started', { runId, suite: SUITE, progress: 0 });
    ctx.note('info', `benchmark ${runId} (${SUITE}) started`);

    const results: Array<{ test: string; p50Ms: number; p95Ms: number; rps: number; errors: number }> = [];
    let at = 0;
    TESTS.forEach((spec, index) => {
      at += rng.float(2, 3.5);
      ctx.scheduler.after(seconds(at), () => {
        if (running !== current) return;
        if (fails && index === 2) {
          ctx.emit('run:failed', {
            runId,
            suite: SUITE,
            progress: current.progress,
            error: `load generator lost the target during "${spec.test}" (ECONNRESET)`,
          });
          ctx.note('error', `benchmark ${runId} failed: load generator lost the target`);
          running = null;
          return;
        }
        const baseline = baselines.get(spec.test) ?? spec.p95;
        const factor = regressed?.test === spec.test ? rng.float(1.15, 1.6) : rng.float(0.93, 1.06);
        const p95 = round(baseline * factor, 1);
        results.push({
          test: spec.test,
          p50Ms: round(p95 * rng.float(0.35, 0.55), 1),
          p95Ms: p95,
          rps: Math.round(spec.rps / factor),
          errors: rng.chance(0.2) ? rng.int(1, 12) : 0,
        });
        current.progress = Math.round(((index + 1) / TESTS.length) * 100);
        if (index < TESTS.length - 1) {
          ctx.emit('run:progress', {
            runId,
            suite: SUITE,
            progress: current.progress,
            results: { completed: results.length, total: TESTS.length, last: spec.test },
          });
          return;
        }
        running = null;
        ctx.emit('run:complete', {
          runId,
          suite: SUITE,
          progress: 100,
          results: { commit: rng.hex(7), branch: 'main', durationSec: Math.round(at), tests: results },
        });
        ctx.note('ok', `benchmark ${runId} complete (${results.length} tests)`);
        ctx.scheduler.after(seconds(rng.float(0.5, 1.5)), () => analyse(runId, results));
      });
    });
  };

  const analyse = (runId: string, results: Array<{ test: string; p95Ms: number }>): void => {
    for (const result of results) {
      const baseline = round(baselines.get(result.test) ?? result.p95Ms, 1);
      const changePercent = round(((result.p95Ms - baseline) / baseline) * 100, 1);
      if (changePercent >= 10) {
        const severity = severityOf(changePercent);
        ctx.emit('regression:detected', {
          runId,
          test: result.test,
          metric: 'p95Ms',
          baseline,
          current: result.p95Ms,
          changePercent,
          severity,
        });
        ctx.note(
          'warn',
          `regression (${severity}): ${result.test} p95 ${baseline} → ${result.p95Ms} ms (+${changePercent}%)`,
        );
        ctx.emit('analysis:complete', {
          runId,
          test: result.test,
          summary: `p95 of ${result.test} rose ${changePercent}% (${baseline} ms → ${result.p95Ms} ms). Most of the extra time is spent in ${rng.pick(CAUSES)}.`,
        });
        continue;
      }
      baselines.set(result.test, result.p95Ms);
      ctx.emit('baseline:updated', { name: `${SUITE} ${result.test}`, runId, test: result.test });
    }
  };

  const cancelFirst = ctx.scheduler.after(seconds(rng.float(1.5, 4)), run);
  const cancelRepeat = ctx.scheduler.repeat(
    () => seconds(rng.float(120, 240)),
    () => {
      if (running === null) run();
    },
  );
  return {
    stop: () => {
      cancelFirst();
      cancelRepeat();
      const current = running;
      if (current === null) return;
      running = null;
      ctx.emit('run:failed', {
        runId: current.runId,
        suite: SUITE,
        progress: current.progress,
        error: 'Cancelled: the demo stopped',
      });
    },
  };
}
