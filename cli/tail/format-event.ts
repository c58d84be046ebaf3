/**
 * How `opsroom tail` prints an event: one line per event, `<time> #<seq> <type> <summary>`,
 * and for `logs:stream` one line per log line, `<time> #<seq> <LEVEL> <text>` (the lines are
 * the point of tailing a log room). `--json` prints the envelope as received instead (NDJSON).
 *
 * Payloads are parsed with the catalogue's schemas before a summary is built from them; a
 * payload that does not parse (or a custom type) is shown as compact JSON.
 */
import type { Envelope } from '@/lib/shared/envelope';
import {
  buildProgressSchema,
  deployProgressSchema,
  logsStreamSchema,
  notificationSchema,
  serviceStatusSchema,
} from '@/lib/shared/events';

/** Longest summary of an unknown payload; the full event is one `--json` away. */
const MAX_JSON_SUMMARY = 200;

/** `HH:MM:SS.mmm` of an ISO timestamp (UTC, as stored), or the input when it is not one. */
export function clockTime(ts: string): string {
  const match = /T(\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)/.exec(ts);
  return match?.[1] ?? ts;
}

export function formatEventLines(envelope: Envelope): string[] {
  const head = `${clockTime(envelope.ts)} #${envelope.seq}`;
  if (envelope.type === 'logs:stream') {
    const logs = logsStreamSchema.safeParse(envelope.payload);
    if (logs.success) {
      return logs.data.lines.map(
        (line) =>
          `${clockTime(line.ts)} #${envelope.seq} ${(line.level ?? 'info').toUpperCase().padEnd(5)} ${line.text}`,
      );
    }
  }
  return [`${head} ${envelope.type} ${summarize(envelope)}`];
}

export function summarize(envelope: Envelope): string {
  const payload = envelope.payload;
  switch (envelope.type) {
    case 'build:progress': {
      const p = buildProgressSchema.safeParse(payload);
      if (p.success)
        return `${p.data.buildId} ${p.data.status} ${p.data.progress}% ${p.data.step}${steps(p.data)}${suffix(p.data.message)}`;
      break;
    }
    case 'deploy:progress': {
      const p = deployProgressSchema.safeParse(payload);
      if (p.success)
        return `${p.data.deployId} to ${p.data.environment} ${p.data.status} ${p.data.progress}% ${p.data.step}${steps(p.data)}${suffix(p.data.message)}`;
      break;
    }
    case 'service:status': {
      const p = serviceStatusSchema.safeParse(payload);
      if (p.success)
        return `${p.data.service} ${p.data.status}${p.data.health ? ` (${p.data.health.status})` : ''}${suffix(p.data.message)}`;
      break;
    }
    case 'notification': {
      const p = notificationSchema.safeParse(payload);
      if (p.success) return `[${p.data.level}] ${p.data.title}${suffix(p.data.body)}`;
      break;
    }
    default:
      break;
  }
  const json = JSON.stringify(payload);
  return json.length > MAX_JSON_SUMMARY ? `${json.slice(0, MAX_JSON_SUMMARY - 1)}…` : json;
}

function steps(p: { currentStep?: number | undefined; totalSteps?: number | undefined }): string {
  return p.currentStep !== undefined && p.totalSteps !== undefined
    ? ` (${p.currentStep}/${p.totalSteps})`
    : '';
}

function suffix(text: string | undefined): string {
  return text === undefined || text === '' ? '' : ` - ${text}`;
}
