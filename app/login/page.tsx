import { redirect } from 'next/navigation';
import { Suspense } from 'react';
import { LoginForm } from '@/components/auth/login-form';
import { getRuntime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sign in · Opsroom' };

export default async function LoginPage() {
  // Nobody to log in as yet: the first visitor creates the admin.
  if ((await getRuntime().store.countUsers()) === 0) redirect('/setup');
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-zinc-200 bg-white p-8 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="mb-1 text-xl font-semibold">Opsroom</h1>
        <p className="mb-6 text-sm text-zinc-500 dark:text-zinc-400">Sign in to watch your projects live.</p>
        <Suspense>
          <LoginForm />
        </Suspense>
      </div>
    </main>
  );
}
