import { SESSION_COOKIE } from '../auth/auth-service';

const isHttps = (request: Request): boolean =>
  request.headers.get('x-forwarded-proto') === 'https' || new URL(request.url).protocol === 'https:';

/** The session cookie: HttpOnly, SameSite=Lax (PROTOCOL.md section 2), Secure behind https. */
export function sessionCookie(request: Request, value: string, expiresAt: Date): string {
  const parts = [
    `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Expires=${expiresAt.toUTCString()}`,
  ];
  if (isHttps(request)) parts.push('Secure');
  return parts.join('; ');
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Expires=Thu, 01 Jan 1970 00:00:00 GMT`;
}
