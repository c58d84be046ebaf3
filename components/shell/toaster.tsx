'use client';

import { useEffect } from 'react';
import { useNotifications } from '@/hooks/use-notifications';
import { TONE_DOT, toneOf } from '@/components/ui/status-tone';

const TOAST_MS = 6000;

/** Toasts for live `notification` events; each disappears after a few seconds or on dismiss. */
export function Toaster() {
  const { toasts, dismissToast } = useNotifications();
  useEffect(() => {
    if (toasts.length === 0) return;
    const timers = toasts.map((toast) => setTimeout(() => dismissToast(toast.id), TOAST_MS));
    return () => timers.forEach(clearTimeout);
  }, [toasts, dismissToast]);
  return (
    <div
      aria-live="polite"
      aria-label="Notifications"
      className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-80 flex-col gap-2"
    >
      {toasts.map((toast) => (
        <div
          key={toast.id}
          role="status"
          data-testid="toast"
          className="pointer-events-auto rounded-lg border border-zinc-200 bg-white p-3 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <div className="flex items-start gap-2">
            <span
              className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${TONE_DOT[toneOf(toast.payload.level === 'success' ? 'ok' : toast.payload.level)]}`}
              aria-hidden
            />
            <div className="min-w-0 flex-1">
              <p className="font-medium">{toast.payload.title}</p>
              {toast.payload.body && (
                <p className="mt-0.5 text-zinc-600 dark:text-zinc-400">{toast.payload.body}</p>
              )}
              {toast.project && <p className="mt-1 text-xs text-zinc-500">{toast.project}</p>}
            </div>
            <button
              type="button"
              onClick={() => dismissToast(toast.id)}
              className="text-zinc-400 hover:text-zinc-700 dark:hover:text-zinc-200"
              aria-label="Dismiss notification"
            >
              ×
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}
