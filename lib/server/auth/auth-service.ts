/**
 * Users, sessions and API tokens: login, cookie and bearer authentication, token and user
 * management, admin bootstrap. Sessions are random ids kept hashed in the store; the cookie
 * carries the id plus an HMAC with OPSROOM_SECRET so forged cookies are refused without a
 * database read.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ulid } from 'ulid';
import type { PublicToken, PublicUser, TokenScope } from '@/lib/shared/api-types';
import { OpsroomError } from '@/lib/shared/errors';
import type { Role } from '@/lib/shared/socket-events';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords';
import type { Principal, TokenPrincipal, UserPrincipal } from './principal';

export const SESSION_COOKIE = 'opsroom_session';
export const TOKEN_PREFIX = 'opsr_';

const sha256 = (value: string): string => createHash('sha256').update(value).digest('base64url');

/**
 * A token's last_used_at is written at most this often per token. Writing it on every use was a
 * synchronous store write (an fsync on SQLite) per publish request and per socket connect: 6% of
 * the server's CPU in the fan-out bench and ~1 ms of blocked event loop each time (issue #7).
 */
export const TOKEN_TOUCH_INTERVAL_MS = 60_000;

export interface AuthServiceOptions {
  store: Store;
  secret: string;
  sessionTtlMs: number;
  logger: Logger;
  now?: () => number;
}

export interface NewUserInput {
  email: string;
  name: string;
  role: Role;
  password: string;
}

export type AuthService = ReturnType<typeof createAuthService>;

export function createAuthService({
  store,
  secret,
  sessionTtlMs,
  logger,
  now = Date.now,
}: AuthServiceOptions) {
  const sign = (id: string): string => createHmac('sha256', secret).update(id).digest('base64url');

  function parseCookieValue(value: string): string | null {
    const [id, mac] = value.split('.');
    if (!id || !mac) return null;
    const expected = Buffer.from(sign(id));
    const actual = Buffer.from(mac);
    return expected.length === actual.length && timingSafeEqual(expected, actual) ? id : null;
  }

  async function principalFromSession(cookieValue: string): Promise<UserPrincipal | null> {
    const id = parseCookieValue(cookieValue);
    if (id === null) return null;
    return principalFromSessionHash(sha256(id));
  }

  /** The session's current principal (role changes included), or null once it ended. */
  async function principalFromSessionHash(idHash: string): Promise<UserPrincipal | null> {
    const session = await store.getSession(idHash);
    if (session === null || Date.parse(session.expiresAt) <= now()) return null;
    const user = await store.getUserById(session.userId);
    if (user === null) return null;
    return {
      kind: 'user',
      user: { id: user.id, email: user.email, name: user.name, role: user.role },
      sessionIdHash: idHash,
      expiresAt: session.expiresAt,
    };
  }

  /** Token id -> when its last_used_at was last written (bounded by the number of tokens). */
  const touchedAt = new Map<string, number>();

  function shouldTouch(tokenId: string): boolean {
    const at = now();
    const last = touchedAt.get(tokenId);
    if (last !== undefined && at - last < TOKEN_TOUCH_INTERVAL_MS) return false;
    touchedAt.set(tokenId, at);
    return true;
  }

  async function principalFromToken(token: string): Promise<TokenPrincipal | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const principal = await principalFromTokenHash(sha256(token));
    if (principal !== null && shouldTouch(principal.token.id)) {
      void store
        .touchToken(principal.token.id)
        .catch((error: unknown) => logger.warn({ err: error }, 'token touch failed'));
    }
    return principal;
  }

  /** The token's current principal, or null once it was revoked or removed. */
  async function principalFromTokenHash(tokenHash: string): Promise<TokenPrincipal | null> {
    const record = await store.getTokenByHash(tokenHash);
    if (record === null || record.revokedAt !== null) return null;
    return {
      kind: 'token',
      token: {
        id: record.id,
        name: record.name,
        projects: record.projects,
        scopes: record.scopes,
        hash: tokenHash,
      },
    };
  }

  return {
    principalFromSession,
    principalFromSessionHash,
    principalFromToken,
    principalFromTokenHash,

    /** Authenticates from request headers: Bearer token first, then the session cookie. */
    async authenticate(headers: {
      authorization?: string | null;
      cookie?: string | null;
    }): Promise<Principal | null> {
      const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
      if (bearer !== undefined) return principalFromToken(bearer);
      const cookie = readCookie(headers.cookie ?? '', SESSION_COOKIE);
      return cookie === null ? null : principalFromSession(cookie);
    },

    async login(
      email: string,
      password: string,
    ): Promise<{ user: PublicUser; cookieValue: string; expiresAt: Date }> {
      const user = await store.getUserByEmail(email);
      // Verify against a dummy hash for unknown emails so the response time does not tell.
      const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      if (user === null || !valid) throw new OpsroomError('UNAUTHORIZED', 'Email or password is wrong.');
      const id = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now() + sessionTtlMs);
      await store.createSession({ idHash: sha256(id), userId: user.id, expiresAt: expiresAt.toISOString() });
      const { passwordHash: _omit, ...publicUser } = user;
      return { user: publicUser, cookieValue: `${id}.${sign(id)}`, expiresAt };
    },

    async logout(principal: UserPrincipal): Promise<void> {
      await store.deleteSession(principal.sessionIdHash);
    },

    async createUser(input: NewUserInput): Promise<PublicUser> {
      return store.createUser({
        id: ulid(),
        email: input.email.trim(),
        name: input.name.trim(),
        role: input.role,
        passwordHash: await hashPassword(input.password),
      });
    },

    async createToken(input: {
      name: string;
      projects: string[];
      scopes: TokenScope[];
    }): Promise<PublicToken & { token: string }> {
      const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const created = await store.createToken({ id: ulid(), tokenHash: sha256(token), ...input });
      return { ...created, token };
    },

    /** Creates the configured admin when no user exists yet (OPSROOM_ADMIN_EMAIL/PASSWORD). */
    async bootstrapAdmin(admin: { email: string; password: string } | null): Promise<void> {
      if (admin === null || (await store.countUsers()) > 0) return;
      let user;
      try {
        user = await this.createUser({
          email: admin.email,
          name: admin.email.split('@')[0] ?? 'admin',
          role: 'admin',
          password: admin.password,
        });
      } catch (error) {
        // Instances of a cluster starting together race for the first user; the loser finds it there.
        if ((await store.countUsers()) > 0) return;
        throw error;
      }
      logger.info({ userId: user.id, email: user.email }, 'created admin from OPSROOM_ADMIN_EMAIL');
    },
  };
}

export function readCookie(header: string, name: string): string | null {
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}
