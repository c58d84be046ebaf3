/**
 * `opsroom run --project P [--build ID] -- <command...>`: runs a command and streams it to
 * Opsroom as a build: its output as `logs:stream` lines, its life as `build:progress`, and its
 * exit code passed through. The pieces are in cli/run/; this file wires them together.
 *
 * Never losing a line: the publisher's queue is unbounded (`maxQueue: Infinity`) and retries
 * with the same event ids, while this file keeps memory bounded by pausing the child's pipes
 * once `--max-pending` events wait for delivery (the child blocks in write(2) until Opsroom
 * catches up). At the end it waits up to `--flush-timeout` seconds for delivery.
 */
import type { Publisher } from '@/lib/sdk';
import { BuildStatus, describeOutcome, type BuildProgressPayload } from './run/build-status';
import { startChild, type CommandOutcome, type OutputStream } from './run/child-command';
import { DeliveryLedger } from './run/delivery-ledger';
import { LineSplitter } from './run/line-splitter';
import { LogBatcher, type BatchLine } from './run/log-batcher';
import { parseProgressMarker } from './run/progress-marker';
import { parseRunArgs, type RunFlags } from './run/run-flags';
import { createRunPublisher } from './run/run-publisher';

/** Signals that cancel the build: passed on to the command, which decides how to end. */
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** A signal this soon after the first is the same interruption delivered twice. */
const REPEAT_SIGNAL_MS = 1_000;

export interface RunIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Readonly<Record<string, string | undefined>>;
}

const defaultIo: RunIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

export async function runCommand(argv: string[], io: RunIo = defaultIo): Promise<number> {
  const flags = parseRunArgs(argv, io.env);
  const say = (message: string): void => {
    io.stderr.write(`opsroom: ${message}\n`);
  };
  const commandLine = flags.command.map(quoteForDisplay).join(' ');
  say(
    `build ${flags.buildId} of ${flags.project}: logs at ${new URL(`/projects/${flags.project}/logs?stream=${flags.stream}`, flags.url).toString()}`,
  );

  const publisher = createRunPublisher({ url: flags.url, token: flags.token, onStatus: say });
  return new RunSession(flags, new BuildStatus(flags.buildId, commandLine), publisher, io, say).execute();
}

/** One run: the child, its pipes, the batcher, backpressure and the build's status. */
class RunSession {
  private readonly ledger = new DeliveryLedger();
  private readonly splitters: Record<OutputStream, LineSplitter> = {
    stdout: new LineSplitter(),
    stderr: new LineSplitter(),
  };
  private readonly batcher: LogBatcher;
  private pausedForDelivery = false;
  private readonly pausedForEcho = new Set<OutputStream>();
  private pauseTarget: { pause(): void; resume(): void } | null = null;
  private warnedInvalidMarker = false;
  private reportedFatal = false;
  private interruptedBy: NodeJS.Signals | null = null;
  private stopWaiting: (() => void) | null = null;

  constructor(
    private readonly flags: RunFlags,
    private readonly status: BuildStatus,
    private readonly publisher: Publisher,
    private readonly io: RunIo,
    private readonly say: (message: string) => void,
  ) {
    this.batcher = new LogBatcher({ onBatch: (lines) => this.publishLines(lines) });
  }

  async execute(): Promise<number> {
    const status = this.status;
    this.publishStatus(status.queued());

    const child = startChild(this.flags.command, {
      onSpawn: () => this.publishStatus(status.started()),
      onChunk: (stream, chunk) => this.onChunk(stream, chunk),
    });
    this.pauseTarget = child;
    let firstSignalAt = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (this.interruptedBy === null) {
        this.interruptedBy = signal;
        firstSignalAt = Date.now();
        // Ctrl-C in a terminal reaches the whole foreground process group, the command
        // included; sending it again would look like a second Ctrl-C (a forced quit) to it.
        if (!(signal === 'SIGINT' && process.stdin.isTTY === true)) child.kill(signal);
        return;
      }
      // The same Ctrl-C may arrive twice (from the terminal, and forwarded by bin/opsroom.mjs);
      // only a later one means "stop waiting for delivery".
      if (Date.now() - firstSignalAt < REPEAT_SIGNAL_MS) return;
      child.kill(signal);
      this.stopWaiting?.();
    };
    for (const signal of FORWARDED_SIGNALS) process.on(signal, onSignal);
    try {
      const outcome = await child.finished;
      for (const stream of ['stdout', 'stderr'] as const) {
        for (const line of this.splitters[stream].end()) this.onLine(stream, line);
      }
      this.batcher.flush();
      this.publishStatus(status.finished(outcome, this.interruptedBy));
      if (outcome.kind === 'not-started') this.say(outcome.reason);
      const delivered = await this.waitForDelivery();
      return this.exitCode(outcome, delivered);
    } finally {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, onSignal);
    }
  }

  private onChunk(stream: OutputStream, chunk: Buffer): void {
    if (!this.flags.quiet) {
      const target = stream === 'stdout' ? this.io.stdout : this.io.stderr;
      // A slow terminal or pipe on our side is backpressure too: hold the child until it drains.
      if (!target.write(chunk)) {
        this.pausedForEcho.add(stream);
        this.updatePause();
        target.once('drain', () => {
          this.pausedForEcho.delete(stream);
          this.updatePause();
        });
      }
    }
    for (const line of this.splitters[stream].push(chunk)) this.onLine(stream, line);
  }

  /** A progress marker moves the build and is not logged; any other line is. */
  private onLine(stream: OutputStream, text: string): void {
    const marker = parseProgressMarker(text);
    if (marker.kind === 'progress') {
      this.publishStatus(this.status.marker(marker.marker));
      return;
    }
    if (marker.kind === 'invalid' && !this.warnedInvalidMarker) {
      this.warnedInvalidMarker = true;
      this.say(`not a valid progress marker (${marker.reason}), logged as a line: ${text.slice(0, 200)}`);
    }
    this.batcher.add({
      ts: new Date().toISOString(),
      text,
      level: stream === 'stdout' ? 'info' : this.flags.stderrLevel,
    });
  }

  /** Recorded even after a fatal refusal, so the final report counts those lines as missing. */
  private publishLines(lines: BatchLine[]): void {
    this.ledger.record(lines.length);
    if (this.checkFatal()) return;
    this.publisher.log(this.flags.project, this.flags.stream, lines);
    this.applyBackpressure();
  }

  private publishStatus(payload: BuildProgressPayload): void {
    this.ledger.record(0);
    if (this.checkFatal()) return;
    this.publisher.buildProgress(this.flags.project, payload);
    this.applyBackpressure();
  }

  /** Once the server refused the token, nothing will get through: say so once, keep running the command. */
  private checkFatal(): boolean {
    const fatal = this.publisher.fatal;
    if (fatal === null) return false;
    if (!this.reportedFatal) {
      this.reportedFatal = true;
      this.say('the command keeps running; its output is no longer sent');
      this.setPausedForDelivery(false);
    }
    return true;
  }

  /**
   * Pauses the child at `--max-pending` undelivered events and resumes it below half of that
   * (hysteresis, so a recovering server is not met with pause/resume on every event). A fatal
   * refusal resumes it too: the SDK empties its queue then, which satisfies whenBelow.
   */
  private applyBackpressure(): void {
    if (this.pausedForDelivery || this.publisher.pending < this.flags.maxPending) return;
    this.setPausedForDelivery(true);
    const resumeBelow = Math.max(1, Math.floor(this.flags.maxPending / 2));
    void this.publisher.whenBelow(resumeBelow).then(() => this.setPausedForDelivery(false));
  }

  private setPausedForDelivery(paused: boolean): void {
    if (this.pausedForDelivery === paused) return;
    this.pausedForDelivery = paused;
    this.updatePause();
  }

  private updatePause(): void {
    if (this.pauseTarget === null) return;
    if (this.pausedForDelivery || this.pausedForEcho.size > 0) this.pauseTarget.pause();
    else this.pauseTarget.resume();
  }

  /** Waits until everything is stored, the flush timeout passes, or a second signal arrives. */
  private async waitForDelivery(): Promise<boolean> {
    const timers: Array<ReturnType<typeof setTimeout>> = [];
    const gaveUp = new Promise<void>((resolve) => {
      this.stopWaiting = resolve;
      timers.push(setTimeout(resolve, this.flags.flushTimeout * 1_000));
    });
    // Only worth a word when delivery is slow (an outage at the end), not on every run.
    timers.push(
      setTimeout(() => {
        this.say(
          `waiting up to ${this.flags.flushTimeout} s to deliver ${this.publisher.pending} events (Ctrl-C to stop waiting)`,
        );
      }, 1_000),
    );
    // Resolves when everything is stored, and also on a fatal refusal (the SDK empties its queue).
    await Promise.race([this.publisher.flush(), gaveUp]);
    for (const timer of timers) clearTimeout(timer);
    await this.publisher.close(0);
    // Delivery is in order, so whatever was not stored (or refused) is the newest recorded.
    const { published, rejected } = this.publisher.stats;
    const missing = this.ledger.undelivered(this.ledger.events - published - rejected);
    this.checkFatal();
    if (rejected > 0) this.say(`${rejected} events were refused by the server (reported above)`);
    if (missing.events > 0) {
      this.say(
        `${missing.lines} of ${this.ledger.lines} lines (${missing.events} of ${this.ledger.events} events) were not delivered to ${this.flags.url}`,
      );
    }
    return missing.events === 0 && rejected === 0;
  }

  /**
   * The command's code, always; except that a command that succeeded while its logs did not
   * all arrive exits 1, so CI notices the build record is incomplete.
   */
  private exitCode(outcome: CommandOutcome, delivered: boolean): number {
    const code = outcome.exitCode;
    const ending =
      this.interruptedBy !== null ? `cancelled (${this.interruptedBy})` : code === 0 ? 'complete' : 'failed';
    const delivery = delivered ? `${this.ledger.lines} lines delivered` : 'delivery incomplete';
    this.say(`build ${this.flags.buildId} ${ending}: command ${describeOutcome(outcome)}; ${delivery}`);
    return code === 0 && !delivered ? 1 : code;
  }
}

/** Shows an argv the way a shell user would type it (for messages only; nothing is executed by a shell). */
function quoteForDisplay(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
