import { redirect } from 'next/navigation';
import { SetupForm } from '@/components/auth/setup-form';
import { getRuntime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Set up · Opsroom' };

export default async function SetupPage() {
  if ((await getRuntime().store.countUsers()) > 0) redirect('/login');
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-zinc-200 bg-white p-8 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="mb-1 text-xl font-semibold">Welcome to Opsroom</h1>
        <p className="mb-6 text-sm text-zinc-500 dark:text-zinc-400">Create the first admin account.</p>
        <SetupForm />
      </div>
    </main>
  );
}
