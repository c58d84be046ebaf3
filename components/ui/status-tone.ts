/** One mapping from every status word in the catalogue to a visual tone. */
export type Tone = 'ok' | 'active' | 'warn' | 'bad' | 'neutral';

const TONES: Record<string, Tone> = {
  running: 'ok',
  healthy: 'ok',
  complete: 'ok',
  completed: 'ok',
  success: 'ok',
  online: 'ok',
  idle: 'neutral',
  ok: 'ok',
  'in-progress': 'active',
  in_progress: 'active',
  busy: 'active',
  starting: 'active',
  stopping: 'active',
  restarting: 'active',
  queued: 'neutral',
  waiting: 'neutral',
  started: 'active',
  degraded: 'warn',
  warning: 'warn',
  'rolled-back': 'warn',
  cancelled: 'warn',
  skipped: 'neutral',
  error: 'bad',
  failed: 'bad',
  failure: 'bad',
  unhealthy: 'bad',
  stopped: 'bad',
  offline: 'bad',
  timed_out: 'bad',
  critical: 'bad',
  high: 'bad',
  medium: 'warn',
  low: 'neutral',
  info: 'neutral',
  unknown: 'neutral',
};

export const toneOf = (status: string | null | undefined): Tone =>
  status ? (TONES[status] ?? 'neutral') : 'neutral';

export const TONE_BADGE: Record<Tone, string> = {
  ok: 'bg-emerald-100 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/30',
  active: 'bg-sky-100 text-sky-800 ring-sky-600/20 dark:bg-sky-500/10 dark:text-sky-300 dark:ring-sky-400/30',
  warn: 'bg-amber-100 text-amber-900 ring-amber-600/20 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/30',
  bad: 'bg-red-100 text-red-800 ring-red-600/20 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-400/30',
  neutral:
    'bg-zinc-100 text-zinc-700 ring-zinc-500/20 dark:bg-zinc-500/10 dark:text-zinc-300 dark:ring-zinc-400/30',
};

export const TONE_DOT: Record<Tone, string> = {
  ok: 'bg-emerald-500',
  active: 'bg-sky-500',
  warn: 'bg-amber-500',
  bad: 'bg-red-500',
  neutral: 'bg-zinc-400',
};

export const TONE_BAR: Record<Tone, string> = {
  ok: 'bg-emerald-500',
  active: 'bg-sky-500',
  warn: 'bg-amber-500',
  bad: 'bg-red-500',
  neutral: 'bg-zinc-400',
};
