/** Copy and download of log lines as plain text (ANSI escapes removed). */
import type { LogLineRecord } from '@/lib/stores/log-store';

/** One line per log line: `<ts> <LEVEL> <text>`, the level padded so columns line up. */
export function formatLogLines(lines: readonly LogLineRecord[]): string {
  let out = '';
  for (const line of lines) {
    out += `${line.ts} ${(line.level ?? '-').toUpperCase().padEnd(5)} ${line.plain}\n`;
  }
  return out;
}

/** `web-api-20261122-103000.log` */
export function logFileName(project: string, stream: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${project}-${stream}-${stamp}.log`;
}

/** Saves text as a file through a temporary object URL (no server round trip). */
export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoked later: some browsers start reading the blob only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Clipboard API where available (secure contexts), else the legacy copy command, which also
 * works on a plain-http intranet deployment.
 */
export async function copyText(text: string): Promise<void> {
  if (typeof navigator !== 'undefined' && navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  try {
    if (!document.execCommand('copy')) throw new Error('The browser refused to copy.');
  } finally {
    area.remove();
  }
}
