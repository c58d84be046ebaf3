/**
 * Builds: one at a time per project, through install → lint → test → build → package with
 * progress 0-100, each with its own log stream logs:<slug>:build-<id>. About one in five
 * fails at the test step; a passing build hands its version to the deploy pipeline.
 */
import type { LogLine } from '@/lib/shared/events';
import { seconds, type ProjectContext, type Scenario } from './context';
import { FAIL, OK, ansi, logLine } from './logs';
import type { Rng } from './random';

export const BUILD_STEPS = ['install', 'lint', 'test', 'build', 'package'] as const;
type Step = (typeof BUILD_STEPS)[number];
const STEP_SECONDS: Record<Step, [number, number]> = {
  install: [2, 4],
  lint: [1.5, 3],
  test: [4, 7],
  build: [3, 5],
  package: [1.5, 3],
};

const COMMITS = [
  'Add coupon validation to checkout',
  'Fix rounding of cart totals',
  'Bump next to 16.4.5',
  'Cache product listings for 30s',
  'Retry payment webhooks with backoff',
  'Paginate the orders API',
  'Move image resizing to the worker',
  'Tighten CSP for the storefront',
];
const BRANCHES = ['main', 'main', 'main', 'feat/checkout-v2', 'fix/cart-rounding', 'chore/deps'];
const SPECS = ['cart.spec.ts', 'checkout.spec.ts', 'orders.spec.ts', 'products.spec.ts', 'auth.spec.ts'];
const FAILURES = [
  ['checkout.spec.ts', 'applies coupon › rounds to cents', 'AssertionError: expected 19.99 to equal 20'],
  ['orders.spec.ts', 'lists orders › paginates', 'Error: timed out after 5000ms waiting for response'],
  [
    'cart.spec.ts',
    'merges guest cart on login',
    "TypeError: Cannot read properties of undefined (reading 'id')",
  ],
] as const;

export interface BuildResult {
  buildId: string;
  version: string;
  branch: string;
}

interface Build extends BuildResult {
  stream: string;
  image: string;
  stepIndex: number;
  fraction: number;
  commit: string;
  message: string;
  failAtTest: boolean;
  startedAt: number;
}

function stepLines(rng: Rng, build: Build, step: Step, part: number): Array<[string, LogLine['level']]> {
  switch (step) {
    case 'install':
      return part === 0
        ? [[ansi.cyan('$ npm ci'), 'info']]
        : rng.chance(0.5)
          ? [['npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory', 'warn']]
          : [
              [
                `added ${rng.int(900, 1600)} packages, audited ${rng.int(1600, 1700)} in ${rng.int(6, 20)}s`,
                'info',
              ],
            ];
    case 'lint':
      return part === 0
        ? [[ansi.cyan('$ npm run lint'), 'info']]
        : rng.chance(0.3)
          ? [
              [
                `${ansi.yellow('warning')} 'formatPrice' is defined but never used  lib/money.ts:${rng.int(3, 80)}`,
                'warn',
              ],
            ]
          : [[`${OK} eslint: 0 problems in ${rng.int(180, 420)} files`, 'info']];
    case 'test': {
      if (part === 0) return [[ansi.cyan('$ npm test -- --reporter=dot'), 'info']];
      const spec = rng.pick(SPECS);
      return [[`${OK} ${spec} (${rng.int(4, 30)} tests) ${rng.int(120, 2400)}ms`, 'info']];
    }
    case 'build':
      return part === 0
        ? [[ansi.cyan('$ npm run build'), 'info']]
        : [[`${OK} Compiled successfully in ${rng.float(8, 30).toFixed(1)}s`, 'info']];
    case 'package':
      return part === 0
        ? [[ansi.cyan(`$ docker build -t ${build.image} .`), 'info']]
        : [
            [
              `${OK} pushed ${build.version} sha256:${rng.hex(12)}… ${rng.float(40, 160).toFixed(1)} MB`,
              'info',
            ],
          ];
  }
}

export function startBuilds(ctx: ProjectContext, onSuccess: (build: BuildResult) => void): Scenario {
  const rng = ctx.rng.fork('builds');
  let number = rng.int(1000, 4000);
  let patch = rng.int(1, 40);
  let current: Build | null = null;
  let first = true;
  let nextBuild = (): void => undefined;

  const publish = (
    build: Build,
    status: 'queued' | 'in-progress' | 'complete' | 'failed' | 'cancelled',
    stepIndex: number,
    fraction: number,
    message?: string,
  ) => {
    build.stepIndex = stepIndex;
    build.fraction = fraction;
    const step = status === 'queued' ? 'queued' : (BUILD_STEPS[stepIndex] ?? 'package');
    ctx.emit('build:progress', {
      buildId: build.buildId,
      status,
      progress:
        status === 'complete'
          ? 100
          : Math.min(99, Math.round(((stepIndex + fraction) / BUILD_STEPS.length) * 100)),
      step,
      currentStep: status === 'queued' ? 0 : stepIndex + 1,
      totalSteps: BUILD_STEPS.length,
      ...(message !== undefined && { message }),
    });
  };
  const log = (build: Build, lines: Array<[string, LogLine['level']]>) =>
    ctx.emitLog(
      build.stream,
      lines.map(([text, level]) => logLine(ctx, text, level)),
    );

  const runStep = (build: Build, stepIndex: number): void => {
    if (current !== build) return;
    const step = BUILD_STEPS[stepIndex];
    if (step === undefined) {
      const took = Math.round((ctx.scheduler.now - build.startedAt) / 1000);
      publish(
        build,
        'complete',
        BUILD_STEPS.length - 1,
        1,
        `Built ${build.version} from ${build.commit} in ${took}s`,
      );
      log(build, [[`${OK} ${ansi.bold(`Build #${build.buildId} succeeded`)} in ${took}s`, 'info']]);
      ctx.note('ok', `build #${build.buildId} passed (${build.version}, ${took}s)`);
      current = null;
      onSuccess(build);
      nextBuild();
      return;
    }
    const [min, max] = STEP_SECONDS[step];
    const duration = rng.float(min, max);
    const parts = Math.max(2, Math.round(duration));
    const failAt = step === 'test' && build.failAtTest ? rng.int(1, parts - 1) : -1;
    for (let part = 0; part < parts; part++) {
      ctx.scheduler.after(seconds((duration * part) / parts), () => {
        if (current !== build) return;
        if (part === failAt) {
          const [spec, name, error] = rng.pick(FAILURES);
          const failed = rng.int(1, 3);
          log(build, [
            [`${FAIL} ${spec} › ${name}`, 'error'],
            [`    ${ansi.red(error)}`, 'error'],
            [`    at tests/${spec}:${rng.int(10, 200)}:${rng.int(3, 40)}`, 'error'],
            [ansi.red(`Tests: ${failed} failed, ${rng.int(180, 320)} passed`), 'error'],
          ]);
          const message = `${failed} failing test${failed > 1 ? 's' : ''}: ${spec} › ${name}`;
          publish(build, 'failed', stepIndex, part / parts, message);
          ctx.note('error', `build #${build.buildId} failed at test: ${message}`);
          current = null;
          nextBuild();
          return;
        }
        publish(build, 'in-progress', stepIndex, part / parts);
        log(build, stepLines(rng, build, step, part));
      });
    }
    ctx.scheduler.after(seconds(duration), () => runStep(build, stepIndex + 1));
  };

  const start = (): void => {
    number += 1;
    patch += 1;
    const version = `v2.14.${patch}`;
    const build: Build = {
      buildId: String(number),
      stream: `build-${number}`,
      image: `registry.example/${ctx.slug}:${version}`,
      stepIndex: 0,
      fraction: 0,
      version,
      // The first build is on main so even a short demo reaches a deploy.
      branch: first ? 'main' : rng.pick(BRANCHES),
      commit: rng.hex(7),
      message: rng.pick(COMMITS),
      failAtTest: rng.chance(0.2),
      startedAt: ctx.scheduler.now,
    };
    first = false;
    current = build;
    publish(build, 'queued', 0, 0, `${build.branch} @ ${build.commit}: ${build.message}`);
    log(build, [
      [ansi.dim(`Build #${build.buildId} for ${ctx.repo}@${build.branch} (${build.commit})`), 'info'],
    ]);
    ctx.note('info', `build #${build.buildId} started: ${build.branch} @ ${build.commit} "${build.message}"`);
    ctx.scheduler.after(seconds(rng.float(0.5, 1.5)), () => runStep(build, 0));
  };

  let cancelNext = ctx.scheduler.after(seconds(rng.float(0.5, 3)), start);
  nextBuild = () => {
    cancelNext = ctx.scheduler.after(seconds(rng.float(6, 20)), start);
  };

  return {
    stop: () => {
      cancelNext();
      const build = current;
      if (build === null) return;
      current = null;
      log(build, [[ansi.yellow('Build cancelled: the demo stopped'), 'warn']]);
      publish(build, 'cancelled', build.stepIndex, build.fraction, 'Cancelled: the demo stopped');
    },
  };
}
