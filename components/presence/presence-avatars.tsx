'use client';

import { usePresence } from '@/hooks/use-presence';

const COLORS = [
  'bg-indigo-500',
  'bg-emerald-500',
  'bg-amber-500',
  'bg-rose-500',
  'bg-sky-500',
  'bg-violet-500',
  'bg-teal-500',
];

function colorFor(id: string): string {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return COLORS[Math.abs(hash) % COLORS.length] ?? 'bg-zinc-500';
}

const initials = (name: string): string =>
  name
    .split(/[\s._@-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('') || '?';

/** Who watches this room right now, one avatar per user with their tab count. */
export function PresenceAvatars({ room }: { room: string }) {
  const { members } = usePresence(room);
  return (
    <ul
      className="flex items-center -space-x-1.5"
      aria-label={`${members.length} watching`}
      data-testid="presence"
    >
      {members.map((member) => (
        <li
          key={member.userId}
          data-testid="presence-member"
          data-user={member.name}
          data-connections={member.connections}
          title={`${member.name} · ${member.connections} tab${member.connections === 1 ? '' : 's'}`}
          className={`relative flex h-7 w-7 items-center justify-center rounded-full text-[11px] font-semibold text-white ring-2 ring-white dark:ring-zinc-950 ${colorFor(member.userId)}`}
        >
          <span aria-hidden>{initials(member.name)}</span>
          <span className="sr-only">
            {member.name}, {member.connections} tab{member.connections === 1 ? '' : 's'}
          </span>
          {member.connections > 1 && (
            <span
              className="absolute -right-1 -bottom-1 rounded-full bg-zinc-900 px-1 text-[9px] leading-3.5 text-white dark:bg-zinc-100 dark:text-zinc-900"
              aria-hidden
            >
              {member.connections}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
