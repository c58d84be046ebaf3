import type { ProgressStep } from '@/lib/stores/project-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { TONE_DOT, toneOf } from '@/components/ui/status-tone';

function duration(fromTs: string, toTs: string | null): string {
  const ms = (toTs === null ? Date.now() : Date.parse(toTs)) - Date.parse(fromTs);
  if (ms < 1000) return `${Math.max(0, ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The steps a build or deploy went through, with how long each took. */
export function StepTimeline({ steps }: { steps: ProgressStep[] }) {
  return (
    <ol
      className="relative flex flex-col gap-2 border-l border-zinc-200 pl-4 dark:border-zinc-800"
      aria-label="Steps"
    >
      {steps.map((step, index) => {
        const next = steps[index + 1];
        return (
          <li key={step.seq} className="relative text-sm">
            <span
              className={`absolute top-1.5 -left-[21px] h-2.5 w-2.5 rounded-full ring-2 ring-white dark:ring-zinc-900 ${TONE_DOT[toneOf(step.status)]}`}
              aria-hidden
            />
            <div className="flex flex-wrap items-baseline gap-x-2">
              <span className="font-medium">{step.step || step.status}</span>
              <span className="text-xs text-zinc-500">{step.status}</span>
              <span className="text-xs text-zinc-500 tabular-nums">{Math.round(step.progress)}%</span>
              <span className="ml-auto text-xs text-zinc-500">
                <RelativeTime ts={step.ts} /> ·{' '}
                {next ? duration(step.ts, next.ts) : toneOf(step.status) === 'active' ? 'running' : 'final'}
              </span>
            </div>
            {step.message && <p className="text-xs text-zinc-600 dark:text-zinc-400">{step.message}</p>}
          </li>
        );
      })}
    </ol>
  );
}
