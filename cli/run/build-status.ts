/**
 * The `build:progress` payloads of one `opsroom run`, from `queued` to its end:
 *
 *   queued (before the command starts) -> in-progress (the process exists) -> in-progress with
 *   progress/step from each marker -> complete (exit 0) | failed (anything else, exit code in
 *   the message) | cancelled (run was interrupted by SIGINT/SIGTERM/SIGHUP and passed it on).
 *
 * Pure: it only remembers the last progress and step so each payload is complete on its own
 * (the room snapshot keeps just the latest event per buildId, PROTOCOL.md section 4).
 */
import { assertNever } from '@/lib/shared/assert-never';
import type { PayloadInputOf } from '@/lib/shared/events';
import type { CommandOutcome } from './child-command';
import type { ProgressMarker } from './progress-marker';

export type BuildProgressPayload = PayloadInputOf<'build:progress'>;

/** `message` holds at most 4,096 characters. */
const MAX_MESSAGE_CHARS = 4_096;

export class BuildStatus {
  private progress = 0;
  private step = 'queued';
  private currentStep: number | undefined;
  private totalSteps: number | undefined;

  constructor(
    private readonly buildId: string,
    private readonly commandLine: string,
  ) {}

  queued(): BuildProgressPayload {
    return this.payload('queued', `waiting to run: ${this.commandLine}`);
  }

  started(): BuildProgressPayload {
    this.step = 'running';
    return this.payload('in-progress', `running: ${this.commandLine}`);
  }

  marker(marker: ProgressMarker): BuildProgressPayload {
    this.progress = marker.progress;
    if (marker.step !== undefined) this.step = marker.step;
    if (marker.currentStep !== undefined) this.currentStep = marker.currentStep;
    if (marker.totalSteps !== undefined) this.totalSteps = marker.totalSteps;
    return this.payload('in-progress');
  }

  /** The end; `interruptedBy` is the signal `run` received and forwarded, if any. */
  finished(outcome: CommandOutcome, interruptedBy: NodeJS.Signals | null): BuildProgressPayload {
    const how = describeOutcome(outcome);
    if (interruptedBy !== null) return this.payload('cancelled', `interrupted by ${interruptedBy}; ${how}`);
    if (outcome.kind === 'exited' && outcome.exitCode === 0) {
      this.progress = 100;
      if (this.currentStep !== undefined && this.totalSteps !== undefined) this.currentStep = this.totalSteps;
      return this.payload('complete', how);
    }
    return this.payload('failed', how);
  }

  private payload(status: BuildProgressPayload['status'], message?: string): BuildProgressPayload {
    return {
      buildId: this.buildId,
      status,
      progress: this.progress,
      step: this.step,
      ...(this.currentStep !== undefined && { currentStep: this.currentStep }),
      ...(this.totalSteps !== undefined && { totalSteps: this.totalSteps }),
      ...(message !== undefined && { message: message.slice(0, MAX_MESSAGE_CHARS) }),
    };
  }
}

export function describeOutcome(outcome: CommandOutcome): string {
  switch (outcome.kind) {
    case 'exited':
      return `exited with code ${outcome.exitCode}`;
    case 'signaled':
      return `killed by ${outcome.signal} (exit code ${outcome.exitCode})`;
    case 'not-started':
      return `${outcome.reason} (exit code ${outcome.exitCode})`;
    default:
      return assertNever(outcome);
  }
}
