import type { ReactNode } from 'react';

/** An empty section that teaches: what would appear here and the command that makes it appear. */
export function EmptyState({
  title,
  children,
  example,
}: {
  title: string;
  children?: ReactNode;
  example?: string;
}) {
  return (
    <div
      className="rounded-lg border border-dashed border-zinc-300 p-5 text-sm dark:border-zinc-700"
      data-testid="empty-state"
    >
      <p className="font-medium text-zinc-800 dark:text-zinc-200">{title}</p>
      {children && <div className="mt-1 text-zinc-500 dark:text-zinc-400">{children}</div>}
      {example && (
        <pre className="mt-3 overflow-x-auto rounded-md bg-zinc-900 p-3 font-mono text-xs leading-relaxed text-zinc-100 dark:bg-black">
          {example}
        </pre>
      )}
    </div>
  );
}

/** The curl command that would publish `payload` as `type` into `room`. */
export function curlExample(room: string, type: string, payload: Record<string, unknown>): string {
  return `curl -X POST "$OPSROOM_URL/api/events" \\
  -H "Authorization: Bearer $OPSROOM_TOKEN" -H "Content-Type: application/json" \\
  -d '${JSON.stringify({ room, type, payload })}'`;
}
