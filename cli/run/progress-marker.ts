/**
 * Progress markers: lines a command prints to move its build's progress bar.
 *
 *   ::opsroom::progress <percent> [<current>/<total>] [step text]
 *
 * e.g. `echo "::opsroom::progress 40 2/5 Compiling assets"` or `echo "::opsroom::progress 75%"`.
 * Chosen because any shell, Makefile or CI script can print it with `echo`, and because the
 * `::name::` prefix (as in GitHub Actions' workflow commands) never occurs in ordinary output.
 * The marker must start the line; trailing whitespace is ignored. Marker lines move the build
 * and are left out of the log (like workflow commands in GitHub Actions' logs); the terminal
 * still shows them. A line that starts with the prefix but does not parse is reported as
 * invalid (the caller warns once and logs it as a normal line) rather than silently ignored.
 */
import { z } from 'zod';

export const PROGRESS_MARKER_PREFIX = '::opsroom::progress';

/** What a marker sets on the build (PROTOCOL.md `build:progress`). */
export interface ProgressMarker {
  progress: number;
  step?: string;
  currentStep?: number;
  totalSteps?: number;
}

export type MarkerParse =
  { kind: 'progress'; marker: ProgressMarker } | { kind: 'invalid'; reason: string } | { kind: 'none' };

/** The `step` field of build:progress holds at most 256 characters. */
const MAX_STEP_CHARS = 256;

const MARKER_PATTERN =
  /^::opsroom::progress(?:[ \t]+(?<percent>\S+?)%?)?(?:[ \t]+(?<current>\d+)\/(?<total>\d+))?(?:[ \t]+(?<step>.*?))?\s*$/;

const markerSchema = z
  .object({
    progress: z.coerce
      .number({ error: 'percent must be a number from 0 to 100' })
      .min(0, 'percent must be a number from 0 to 100')
      .max(100, 'percent must be a number from 0 to 100'),
    currentStep: z.coerce.number().int().nonnegative().optional(),
    totalSteps: z.coerce.number().int().positive('total steps must be at least 1').optional(),
    step: z
      .string()
      .transform((text) => text.slice(0, MAX_STEP_CHARS))
      .optional(),
  })
  .refine((m) => m.currentStep === undefined || m.currentStep <= (m.totalSteps ?? Infinity), {
    message: 'current step must not exceed the total',
  });

export function parseProgressMarker(line: string): MarkerParse {
  if (!line.startsWith(PROGRESS_MARKER_PREFIX)) return { kind: 'none' };
  const match = MARKER_PATTERN.exec(line);
  // `::opsroom::progressbar` is someone else's text, not a malformed marker.
  if (match === null) {
    const next = line.charAt(PROGRESS_MARKER_PREFIX.length);
    return next === ' ' || next === '\t' || next === ''
      ? { kind: 'invalid', reason: 'expected ::opsroom::progress <percent> [<current>/<total>] [step]' }
      : { kind: 'none' };
  }
  const groups = match.groups ?? {};
  if (groups.percent === undefined) return { kind: 'invalid', reason: 'the percent is missing' };
  const parsed = markerSchema.safeParse({
    progress: groups.percent,
    currentStep: groups.current,
    totalSteps: groups.total,
    step: groups.step === '' ? undefined : groups.step,
  });
  if (!parsed.success) {
    return { kind: 'invalid', reason: parsed.error.issues[0]?.message ?? 'invalid marker' };
  }
  const { progress, currentStep, totalSteps, step } = parsed.data;
  return {
    kind: 'progress',
    marker: {
      progress,
      ...(step !== undefined && { step }),
      ...(currentStep !== undefined && { currentStep }),
      ...(totalSteps !== undefined && { totalSteps }),
    },
  };
}
