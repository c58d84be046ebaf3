/**
 * Records security-relevant actions (logins, token and user changes, operator publishes).
 * An audit write never fails the action it records: a store error is logged instead.
 */
import type { AuditAction } from '@/lib/shared/api-types';
import { assertNever } from '@/lib/shared/assert-never';
import type { Principal } from './auth/principal';
import type { Logger } from './logger';
import type { AuditStore } from './store/store';

export function actorOf(principal: Principal): string {
  switch (principal.kind) {
    case 'user':
      return `user:${principal.user.id} (${principal.user.email})`;
    case 'token':
      return `token:${principal.token.name}`;
    case 'system':
      return 'system';
    default:
      return assertNever(principal);
  }
}

export interface AuditRecord {
  actor: string;
  action: AuditAction;
  target?: string | null;
  ip?: string | null;
  details?: Record<string, unknown> | null;
}

export async function recordAudit(store: AuditStore, logger: Logger, record: AuditRecord): Promise<void> {
  try {
    await store.appendAudit({
      actor: record.actor,
      action: record.action,
      target: record.target ?? null,
      ip: record.ip ?? null,
      details: record.details ?? null,
    });
  } catch (error) {
    logger.error({ err: error, action: record.action }, 'could not write the audit log');
  }
}
