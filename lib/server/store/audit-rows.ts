/** Audit rows as both stores return them, and their one mapping to the API shape. */
import type { AuditAction, AuditEntry } from '@/lib/shared/api-types';

export interface AuditRow {
  /** SQLite returns a number, node-postgres a string for bigint. */
  id: number | string;
  ts: string;
  actor: string;
  action: string;
  target: string | null;
  ip: string | null;
  details: string | null;
}

export const toAuditEntry = (row: AuditRow): AuditEntry => ({
  id: Number(row.id),
  ts: row.ts,
  actor: row.actor,
  action: row.action as AuditAction,
  target: row.target,
  ip: row.ip,
  details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
});
