'use client';

import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { useJsonSubmit } from './use-json-submit';

const input = 'rounded-md border border-zinc-300 bg-white px-3 py-2 dark:border-zinc-700 dark:bg-zinc-900';

/** Creates the first admin (only possible while Opsroom has no users) and signs in. */
export function SetupForm() {
  const router = useRouter();
  const { submit, error, pending } = useJsonSubmit('/api/setup');

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (!(await submit({ email: form.get('email'), name: form.get('name'), password: form.get('password') })))
      return;
    router.replace('/');
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4">
      <label className="flex flex-col gap-1 text-sm">
        Your name
        <input name="name" required autoFocus autoComplete="name" className={input} />
      </label>
      <label className="flex flex-col gap-1 text-sm">
        Email
        <input name="email" type="email" required autoComplete="username" className={input} />
      </label>
      <label className="flex flex-col gap-1 text-sm">
        Password <span className="text-xs text-zinc-500">at least 8 characters</span>
        <input
          name="password"
          type="password"
          required
          minLength={8}
          autoComplete="new-password"
          className={input}
        />
      </label>
      {error && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        {pending ? 'Creating…' : 'Create admin and sign in'}
      </button>
    </form>
  );
}
