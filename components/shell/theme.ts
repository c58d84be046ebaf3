export const THEME_COOKIE = 'opsroom_theme';
export type Theme = 'system' | 'light' | 'dark';
export const parseTheme = (value: string | undefined): Theme =>
  value === 'light' || value === 'dark' ? value : 'system';
