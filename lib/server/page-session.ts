/** The logged-in user for server-rendered pages; redirects to /setup or /login otherwise. */
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { SESSION_COOKIE } from './auth/auth-service';
import type { UserPrincipal } from './auth/principal';
import { getRuntime } from './runtime';

export async function requirePageUser(nextPath: string): Promise<UserPrincipal> {
  const runtime = getRuntime();
  const value = (await cookies()).get(SESSION_COOKIE)?.value;
  const principal = value ? await runtime.auth.principalFromSession(value) : null;
  if (principal !== null) return principal;
  if ((await runtime.store.countUsers()) === 0) redirect('/setup');
  redirect(`/login?next=${encodeURIComponent(nextPath)}`);
}
