'use client';

import { useState } from 'react';
import { useNotifications } from '@/hooks/use-notifications';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusBadge } from '@/components/ui/status-badge';

/** Unread count and the list of recent notifications in a popover. */
export function NotificationBell() {
  const { items, unread, markAllRead } = useNotifications();
  const [open, setOpen] = useState(false);
  return (
    <div className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls="notification-list"
        onClick={() => {
          setOpen(!open);
          if (!open) markAllRead();
        }}
        className="relative rounded-md px-2 py-1 text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
        aria-label={unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'}
      >
        <svg
          aria-hidden
          viewBox="0 0 24 24"
          className="h-5 w-5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
        >
          <path strokeLinecap="round" strokeLinejoin="round" d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path strokeLinecap="round" d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 && (
          <span
            className="absolute -top-0.5 -right-0.5 rounded-full bg-red-500 px-1 text-[10px] leading-4 font-semibold text-white"
            aria-hidden
          >
            {unread}
          </span>
        )}
      </button>
      {open && (
        <div
          id="notification-list"
          className="absolute right-0 z-40 mt-2 max-h-96 w-96 overflow-y-auto rounded-lg border border-zinc-200 bg-white p-2 shadow-xl dark:border-zinc-700 dark:bg-zinc-900"
        >
          {items.length === 0 ? (
            <p className="p-3 text-sm text-zinc-500">
              No notifications yet. They appear here when a `notification` event is published to a project you
              watch or to you.
            </p>
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {items.map((item) => (
                <li key={item.id} className="flex flex-col gap-1 p-2 text-sm">
                  <div className="flex items-center gap-2">
                    <StatusBadge
                      status={item.payload.level === 'success' ? 'ok' : item.payload.level}
                      label={item.payload.level}
                    />
                    <span className="font-medium">{item.payload.title}</span>
                  </div>
                  {item.payload.body && (
                    <p className="text-zinc-600 dark:text-zinc-400">{item.payload.body}</p>
                  )}
                  <p className="text-xs text-zinc-500">
                    {item.project ?? 'for you'} · <RelativeTime ts={item.ts} />
                  </p>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
