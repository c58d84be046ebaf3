import { TONE_BAR, toneOf } from './status-tone';

export function ProgressBar({ value, status, label }: { value: number; status: string; label: string }) {
  const clamped = Math.max(0, Math.min(100, value));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(clamped)}
      className="h-1.5 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
    >
      <div
        className={`h-full rounded-full transition-[width] duration-300 ${TONE_BAR[toneOf(status)]}`}
        style={{ width: `${clamped}%` }}
      />
    </div>
  );
}
