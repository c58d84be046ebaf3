/**
 * Sends visitors without a session cookie to the login page, keeping where they wanted to
 * go (`next`). Only the cookie's presence is checked here; pages still validate the session
 * itself (lib/server/page-session.ts), which also handles expired or forged cookies.
 */
import { NextResponse, type NextRequest } from 'next/server';

const SESSION_COOKIE = 'opsroom_session';

export function proxy(request: NextRequest) {
  if (request.cookies.has(SESSION_COOKIE)) return NextResponse.next();
  const url = request.nextUrl.clone();
  const next = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  url.pathname = '/login';
  url.search = next === '/' ? '' : `?next=${encodeURIComponent(next)}`;
  return NextResponse.redirect(url);
}

export const config = {
  // Dashboard pages only: not the API, the login/setup pages, metrics or Next's assets.
  matcher: ['/((?!api/|login|setup|metrics|socket\\.io|_next/|favicon).*)'],
};
