'use client';

import { useState } from 'react';
import { THEME_COOKIE, parseTheme, type Theme } from './theme';

const NEXT: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<Theme, string> = { system: 'System theme', light: 'Light theme', dark: 'Dark theme' };
const ICON: Record<Theme, string> = { system: '◐', light: '☀', dark: '☾' };

function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  root.dataset.theme = theme;
  const dark =
    theme === 'dark' || (theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  root.classList.toggle('dark', dark);
  document.cookie = `${THEME_COOKIE}=${theme}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

/** Cycles system → light → dark; remembered in a cookie so the server renders it next time. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(() =>
    typeof document === 'undefined' ? 'system' : parseTheme(document.documentElement.dataset.theme),
  );
  return (
    <button
      type="button"
      onClick={() => {
        const next = NEXT[theme];
        applyTheme(next);
        setTheme(next);
      }}
      className="rounded-md px-2 py-1 text-base text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
      aria-label={`${LABEL[theme]} (click to change)`}
      title={LABEL[theme]}
      suppressHydrationWarning
    >
      <span aria-hidden suppressHydrationWarning>
        {ICON[theme]}
      </span>
    </button>
  );
}
