/** User and token rows as both stores read them, and their one mapping to the API shapes. */
import type { PublicToken, PublicUser, TokenScope } from '@/lib/shared/api-types';
import type { Role } from '@/lib/shared/socket-events';
import type { UserRecord } from './store';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: string;
}

export interface TokenRow {
  id: string;
  name: string;
  token_hash: string;
  /** SQLite keeps JSON text; PostgreSQL's driver already parsed it. */
  projects: string | string[];
  scopes: string | TokenScope[];
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const list = <T>(value: string | T[]): T[] =>
  typeof value === 'string' ? (JSON.parse(value) as T[]) : value;

export const toUser = (row: UserRow): PublicUser => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  createdAt: row.created_at,
});

export const toUserRecord = (row: UserRow): UserRecord => ({
  ...toUser(row),
  passwordHash: row.password_hash,
});

export const toToken = (row: TokenRow): PublicToken => ({
  id: row.id,
  name: row.name,
  projects: list(row.projects),
  scopes: list(row.scopes),
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});
