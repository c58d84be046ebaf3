'use client';

import { useState } from 'react';

/**
 * Sends a form as JSON and keeps the pending flag and the error a person should read:
 * the server's message (or its first field problem), or a plain "cannot reach" line.
 */
export function useJsonSubmit(url: string) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(body: Record<string, unknown>): Promise<boolean> {
    setPending(true);
    setError(null);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.ok) return true;
      const reply = (await response.json().catch(() => null)) as {
        error?: { message?: string; details?: Array<{ message?: string }> };
      } | null;
      setError(
        reply?.error?.details?.[0]?.message ??
          reply?.error?.message ??
          `Request failed (${response.status}).`,
      );
      return false;
    } catch {
      setError('Cannot reach Opsroom. Check your connection and try again.');
      return false;
    } finally {
      setPending(false);
    }
  }

  return { submit, error, pending };
}
