/**
 * ANSI SGR colours as React spans (anser parses; we never inject HTML). Named colours map to
 * Tailwind classes with light and dark variants, so "white" stays readable on a light theme
 * and "black" on a dark one; 256-colour and true-colour codes become inline colours.
 * The class strings are written out in full so Tailwind's scanner finds them.
 */
import Anser from 'anser';
import type { CSSProperties, ReactNode } from 'react';

const FG: Record<string, string> = {
  'ansi-black': 'text-zinc-800 dark:text-zinc-500',
  'ansi-red': 'text-red-700 dark:text-red-400',
  'ansi-green': 'text-green-700 dark:text-green-400',
  'ansi-yellow': 'text-yellow-700 dark:text-yellow-300',
  'ansi-blue': 'text-blue-700 dark:text-blue-400',
  'ansi-magenta': 'text-fuchsia-700 dark:text-fuchsia-400',
  'ansi-cyan': 'text-cyan-700 dark:text-cyan-400',
  'ansi-white': 'text-zinc-500 dark:text-zinc-200',
  'ansi-bright-black': 'text-zinc-500 dark:text-zinc-400',
  'ansi-bright-red': 'text-red-600 dark:text-red-300',
  'ansi-bright-green': 'text-green-600 dark:text-green-300',
  'ansi-bright-yellow': 'text-yellow-600 dark:text-yellow-200',
  'ansi-bright-blue': 'text-blue-600 dark:text-blue-300',
  'ansi-bright-magenta': 'text-fuchsia-600 dark:text-fuchsia-300',
  'ansi-bright-cyan': 'text-cyan-600 dark:text-cyan-300',
  'ansi-bright-white': 'text-zinc-400 dark:text-white',
};

const BG: Record<string, string> = {
  'ansi-black': 'bg-zinc-800 dark:bg-black',
  'ansi-red': 'bg-red-200 dark:bg-red-900',
  'ansi-green': 'bg-green-200 dark:bg-green-900',
  'ansi-yellow': 'bg-yellow-200 dark:bg-yellow-900',
  'ansi-blue': 'bg-blue-200 dark:bg-blue-900',
  'ansi-magenta': 'bg-fuchsia-200 dark:bg-fuchsia-900',
  'ansi-cyan': 'bg-cyan-200 dark:bg-cyan-900',
  'ansi-white': 'bg-zinc-200 dark:bg-zinc-600',
  'ansi-bright-black': 'bg-zinc-400 dark:bg-zinc-700',
  'ansi-bright-red': 'bg-red-300 dark:bg-red-800',
  'ansi-bright-green': 'bg-green-300 dark:bg-green-800',
  'ansi-bright-yellow': 'bg-yellow-300 dark:bg-yellow-800',
  'ansi-bright-blue': 'bg-blue-300 dark:bg-blue-800',
  'ansi-bright-magenta': 'bg-fuchsia-300 dark:bg-fuchsia-800',
  'ansi-bright-cyan': 'bg-cyan-300 dark:bg-cyan-800',
  'ansi-bright-white': 'bg-zinc-100 dark:bg-zinc-500',
};

const DECORATION: Record<string, string> = {
  bold: 'font-bold',
  dim: 'opacity-60',
  italic: 'italic',
  underline: 'underline',
  strikethrough: 'line-through',
  hidden: 'invisible',
};

const NAMED = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
const CUBE = [0, 95, 135, 175, 215, 255];

/** xterm 256-colour index as a class name (0-15) or a CSS colour (16-255). */
export function paletteColour(n: number): { className: string } | { colour: string } | null {
  if (!Number.isInteger(n) || n < 0 || n > 255) return null;
  if (n < 16) return { className: `ansi-${n >= 8 ? 'bright-' : ''}${NAMED[n % 8] ?? 'white'}` };
  if (n >= 232) {
    const level = 8 + (n - 232) * 10;
    return { colour: `rgb(${level}, ${level}, ${level})` };
  }
  const i = n - 16;
  return {
    colour: `rgb(${CUBE[Math.floor(i / 36)] ?? 0}, ${CUBE[Math.floor(i / 6) % 6] ?? 0}, ${CUBE[i % 6] ?? 0})`,
  };
}

/** anser's colour field (a class like `ansi-red`, `ansi-palette-208` or `ansi-truecolor`) as a class or colour. */
function colourOf(
  name: string | null | undefined,
  truecolor: string | null | undefined,
  classes: Record<string, string>,
): { className?: string; colour?: string } {
  if (!name) return {};
  if (name === 'ansi-truecolor') return truecolor ? { colour: `rgb(${truecolor})` } : {};
  if (name.startsWith('ansi-palette-')) {
    const resolved = paletteColour(Number(name.slice('ansi-palette-'.length)));
    if (resolved === null) return {};
    if ('colour' in resolved) return { colour: resolved.colour };
    return { className: classes[resolved.className] };
  }
  return { className: classes[name] };
}

export interface AnsiSegment {
  text: string;
  className: string;
  style: CSSProperties | undefined;
}

/** Splits a line into styled segments; plain text (no ESC) is one unstyled segment. */
export function ansiSegments(text: string): AnsiSegment[] {
  if (!text.includes('\u001b')) return [{ text, className: '', style: undefined }];
  return Anser.ansiToJson(text, { use_classes: true, remove_empty: true }).map((entry) => {
    const fg = colourOf(entry.fg, entry.fg_truecolor, FG);
    const bg = colourOf(entry.bg, entry.bg_truecolor, BG);
    const classes: string[] = [];
    if (fg.className) classes.push(fg.className);
    if (bg.className) classes.push(bg.className);
    for (const decoration of entry.decorations ?? []) {
      const cls = DECORATION[decoration];
      if (cls) classes.push(cls);
    }
    let style: CSSProperties | undefined;
    if (fg.colour || bg.colour) {
      style = {};
      if (fg.colour) style.color = fg.colour;
      if (bg.colour) style.backgroundColor = bg.colour;
    }
    return { text: entry.content, className: classes.join(' '), style };
  });
}

/** One line of text with its ANSI colours. */
export function AnsiText({ text }: { text: string }): ReactNode {
  const segments = ansiSegments(text);
  if (segments.length === 1 && segments[0]?.className === '' && segments[0].style === undefined) {
    return segments[0].text;
  }
  return segments.map((segment, i) =>
    segment.className === '' && segment.style === undefined ? (
      segment.text
    ) : (
      <span key={i} className={segment.className} style={segment.style}>
        {segment.text}
      </span>
    ),
  );
}
