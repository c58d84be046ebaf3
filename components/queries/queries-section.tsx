'use client';

import { useState } from 'react';
import { useDbQueries } from '@/hooks/use-db-queries';
import { Card } from '@/components/ui/card';
import { EmptyState, curlExample } from '@/components/ui/empty-state';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusBadge } from '@/components/ui/status-badge';

const cell = (value: unknown): string =>
  value === null || value === undefined
    ? '∅'
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

export function QueriesSection({ project }: { project: string }) {
  const { queries, loaded } = useDbQueries(project);
  const [selected, setSelected] = useState<string | null>(null);
  if (loaded && queries.length === 0) {
    return (
      <EmptyState
        title="No query results yet"
        example={curlExample(`project:${project}`, 'db:query:result', {
          queryId: 'q1',
          status: 'ok',
          durationMs: 12.5,
          rowCount: 1,
          columns: ['id', 'email'],
          rows: [[1, 'ann@example.com']],
        })}
      >
        Results appear when <code>db:query:result</code> events arrive:
      </EmptyState>
    );
  }
  const query = queries.find((q) => q.payload.queryId === selected) ?? queries[0];
  const columns =
    query?.payload.columns ??
    (query?.payload.rows?.[0] && !Array.isArray(query.payload.rows[0])
      ? Object.keys(query.payload.rows[0])
      : []);
  return (
    <div className="grid gap-4 lg:grid-cols-[340px_1fr]">
      <Card className="p-2">
        <ul className="flex max-h-[65vh] flex-col gap-1 overflow-y-auto">
          {queries.map((q) => (
            <li key={q.payload.queryId}>
              <button
                type="button"
                aria-pressed={q === query}
                onClick={() => setSelected(q.payload.queryId)}
                className={`flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm ${q === query ? 'bg-indigo-50 dark:bg-indigo-500/10' : 'hover:bg-zinc-50 dark:hover:bg-zinc-800/50'}`}
              >
                <span className="font-mono">{q.payload.queryId}</span>
                <StatusBadge status={q.payload.status} />
                <span className="ml-auto text-xs text-zinc-500 tabular-nums">
                  {q.payload.durationMs.toFixed(1)} ms
                </span>
              </button>
            </li>
          ))}
        </ul>
      </Card>
      {query && (
        <Card className="flex flex-col gap-3 p-4">
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <h2 className="font-semibold">
              Query <span className="font-mono">{query.payload.queryId}</span>
            </h2>
            <StatusBadge status={query.payload.status} />
            <span className="text-zinc-500 tabular-nums">{query.payload.durationMs.toFixed(1)} ms</span>
            {query.payload.rowCount !== undefined && (
              <span className="text-zinc-500">{query.payload.rowCount} rows</span>
            )}
            <span className="ml-auto text-xs text-zinc-500">
              <RelativeTime ts={query.ts} />
            </span>
          </div>
          {query.payload.error && (
            <pre className="rounded-md bg-red-50 p-3 text-xs whitespace-pre-wrap text-red-800 dark:bg-red-950 dark:text-red-200">
              {query.payload.error}
            </pre>
          )}
          {query.payload.rows && query.payload.rows.length > 0 && (
            <div className="max-h-[60vh] overflow-auto rounded-md border border-zinc-200 dark:border-zinc-800">
              <table className="w-full text-left font-mono text-xs">
                <thead className="sticky top-0 bg-zinc-100 dark:bg-zinc-800">
                  <tr>
                    {columns.map((c) => (
                      <th key={c} scope="col" className="px-3 py-1.5">
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {query.payload.rows.map((row, i) => (
                    <tr key={i} className="border-t border-zinc-100 dark:border-zinc-800">
                      {(Array.isArray(row)
                        ? row
                        : columns.map((c) => (row as Record<string, unknown>)[c])
                      ).map((value, j) => (
                        <td key={j} className="px-3 py-1 whitespace-nowrap">
                          {cell(value)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      )}
    </div>
  );
}
