'use client';

import { TableHead } from '@/components/ui/table-head';
import { useState } from 'react';
import type { AuditEntry } from '@/lib/shared/api-types';
import { Card } from '@/components/ui/card';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusBadge } from '@/components/ui/status-badge';

const TONE: Record<string, string> = {
  'login.failed': 'error',
  'token.revoke': 'warning',
  'user.delete': 'warning',
};

/** The audit log, newest first, with "load older" paging. */
export function AuditLog({ initial }: { initial: AuditEntry[] }) {
  const [entries, setEntries] = useState(initial);
  const [loading, setLoading] = useState(false);
  const [done, setDone] = useState(initial.length < 100);
  const [error, setError] = useState<string | null>(null);

  async function loadOlder() {
    const last = entries.at(-1);
    if (last === undefined) return;
    setLoading(true);
    setError(null);
    try {
      const response = await fetch(`/api/audit?limit=100&before=${last.id}`, { credentials: 'same-origin' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as { entries: AuditEntry[] };
      setEntries((prev) => [...prev, ...body.entries]);
      if (body.entries.length < 100) setDone(true);
    } catch {
      setError('Could not load older entries; try again.');
    } finally {
      setLoading(false);
    }
  }

  if (entries.length === 0)
    return (
      <p className="text-sm text-zinc-500">
        Nothing audited yet. Logins, token and user changes and operator publishes appear here.
      </p>
    );
  return (
    <Card className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="audit-table">
        <TableHead columns={['When', 'Action', 'Actor', 'Target', 'IP', 'Details']} />
        <tbody>
          {entries.map((entry) => (
            <tr
              key={entry.id}
              className="border-t border-zinc-100 dark:border-zinc-800"
              data-action={entry.action}
            >
              <td className="px-4 py-1.5 whitespace-nowrap text-zinc-500">
                <RelativeTime ts={entry.ts} />
              </td>
              <td className="px-4 py-1.5">
                <StatusBadge status={TONE[entry.action] ?? 'info'} label={entry.action} />
              </td>
              <td className="px-4 py-1.5">{entry.actor}</td>
              <td className="px-4 py-1.5 font-mono text-xs">{entry.target ?? '—'}</td>
              <td className="px-4 py-1.5 font-mono text-xs">{entry.ip ?? '—'}</td>
              <td className="px-4 py-1.5 font-mono text-xs text-zinc-500">
                {entry.details ? JSON.stringify(entry.details) : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex items-center gap-3 p-3">
        {!done && (
          <button
            type="button"
            onClick={loadOlder}
            disabled={loading}
            className="rounded-md border border-zinc-300 px-3 py-1 text-sm disabled:opacity-50 dark:border-zinc-700"
          >
            {loading ? 'Loading…' : 'Load older'}
          </button>
        )}
        {error && (
          <span role="alert" className="text-sm text-red-600">
            {error}
          </span>
        )}
      </div>
    </Card>
  );
}
