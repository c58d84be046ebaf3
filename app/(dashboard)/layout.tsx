import Link from 'next/link';
import type { ReactNode } from 'react';
import { LogoutButton } from '@/components/auth/logout-button';
import { ConnectionIndicator } from '@/components/live/connection-indicator';
import { RealtimeProvider } from '@/components/providers/realtime-provider';
import { NavLink } from '@/components/shell/nav-link';
import { NotificationBell } from '@/components/shell/notification-bell';
import { ThemeToggle } from '@/components/shell/theme-toggle';
import { Toaster } from '@/components/shell/toaster';
import { requirePageUser } from '@/lib/server/page-session';

export const dynamic = 'force-dynamic';

/** Every dashboard route: needs a session; one realtime client for the whole tab. */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const { user } = await requirePageUser('/');
  return (
    <RealtimeProvider userId={user.id}>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
        <div className="mx-auto flex max-w-[1400px] items-center gap-4 px-4 py-2">
          <Link href="/" className="flex items-center gap-2 text-base font-semibold tracking-tight">
            <span
              className="inline-block h-5 w-5 rounded bg-gradient-to-br from-indigo-500 to-sky-400"
              aria-hidden
            />
            Opsroom
          </Link>
          <nav aria-label="Main" className="flex items-center gap-1">
            <NavLink href="/" exact>
              Overview
            </NavLink>
            {user.role === 'admin' && <NavLink href="/admin/connections">Connections</NavLink>}
            {user.role === 'admin' && <NavLink href="/admin/audit">Audit</NavLink>}
          </nav>
          <div className="ml-auto flex items-center gap-3">
            <ConnectionIndicator />
            <NotificationBell />
            <ThemeToggle />
            <span className="hidden text-sm text-zinc-500 sm:inline" data-testid="current-user">
              {user.name} · {user.role}
            </span>
            <LogoutButton />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-[1400px] px-4 py-5">
        {children}
      </main>
      <Toaster />
    </RealtimeProvider>
  );
}
