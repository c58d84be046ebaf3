import { TONE_BADGE, TONE_DOT, toneOf } from './status-tone';

/** A status word with its colour; the word itself carries the meaning (not colour alone). */
export function StatusBadge({
  status,
  label,
  compact = false,
}: {
  status: string;
  label?: string;
  compact?: boolean;
}) {
  const tone = toneOf(status);
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-full font-medium whitespace-nowrap ring-1 ring-inset ${compact ? 'px-1.5 text-[11px]' : 'px-2 py-0.5 text-xs'} ${TONE_BADGE[tone]}`}
      data-status={status}
    >
      <span className={`h-1.5 w-1.5 rounded-full ${TONE_DOT[tone]}`} aria-hidden />
      {label ?? status}
    </span>
  );
}
