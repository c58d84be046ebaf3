'use client';

import { useState } from 'react';
import { useRoomEvents } from '@/hooks/use-room-events';
import { parseRoom } from '@/lib/shared/rooms';

function summary(payload: Record<string, unknown>): string {
  const text = JSON.stringify(payload);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** The live event table of one room, with a room switcher and an empty state that teaches. */
export function LiveEvents({
  projects,
  origin,
  initialRoom,
}: {
  projects: string[];
  origin: string;
  initialRoom?: string;
}) {
  const [room, setRoom] = useState(() => initialRoom ?? `project:${projects[0] ?? 'web'}`);
  const [draft, setDraft] = useState(room);
  const { events, seq, error, loaded } = useRoomEvents(room);
  const draftValid = parseRoom(draft) !== null;

  return (
    <section aria-labelledby="live-heading" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end gap-3">
        <h2 id="live-heading" className="mr-auto text-lg font-semibold">
          Live events <span className="font-mono text-sm text-zinc-500">{room}</span>
        </h2>
        <form
          className="flex items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            if (draftValid) setRoom(draft);
          }}
        >
          <label className="flex flex-col gap-1 text-xs text-zinc-500">
            Room
            <input
              value={draft}
              onChange={(event) => setDraft(event.target.value)}
              list="project-rooms"
              aria-invalid={!draftValid}
              className="w-64 rounded-md border border-zinc-300 bg-white px-2 py-1 font-mono text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
            />
          </label>
          <datalist id="project-rooms">
            {projects.map((slug) => (
              <option key={slug} value={`project:${slug}`} />
            ))}
          </datalist>
          <button
            type="submit"
            disabled={!draftValid}
            className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
          >
            Watch
          </button>
        </form>
      </div>

      {error && (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
        >
          {error.code}: {error.message}
        </p>
      )}

      {loaded && events.length === 0 && !error && (
        <div className="rounded-lg border border-dashed border-zinc-300 p-6 text-sm dark:border-zinc-700">
          <p className="mb-2 font-medium">No events in {room} yet.</p>
          <p className="mb-3 text-zinc-500">
            Create an API token (npm run opsroom -- token create --name ci --project{' '}
            {parseRoom(room)?.kind === 'project' ? room.slice(8) : 'web'} --scope publish), then send one:
          </p>
          <pre className="overflow-x-auto rounded-md bg-zinc-900 p-3 font-mono text-xs text-zinc-100">{`curl -X POST ${origin}/api/events \\
  -H "Authorization: Bearer $OPSROOM_TOKEN" -H "Content-Type: application/json" \\
  -d '{"room":"${room}","type":"service:status","payload":{"service":"api","status":"running"}}'`}</pre>
        </div>
      )}

      {!loaded && <p className="text-sm text-zinc-500">Subscribing…</p>}

      {events.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-left text-sm" data-testid="event-table">
            <caption className="sr-only">
              Events in {room}, newest first; latest seq {seq}
            </caption>
            <thead className="bg-zinc-100 text-xs uppercase text-zinc-500 dark:bg-zinc-900">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Seq
                </th>
                <th scope="col" className="px-3 py-2">
                  Time
                </th>
                <th scope="col" className="px-3 py-2">
                  Type
                </th>
                <th scope="col" className="px-3 py-2">
                  Source
                </th>
                <th scope="col" className="px-3 py-2">
                  Payload
                </th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr
                  key={`${event.room}:${event.seq}`}
                  className="border-t border-zinc-100 dark:border-zinc-800"
                  data-seq={event.seq}
                >
                  <td className="px-3 py-1.5 font-mono tabular-nums">{event.seq}</td>
                  <td className="px-3 py-1.5 whitespace-nowrap text-zinc-500">
                    {new Date(event.ts).toLocaleTimeString()}
                  </td>
                  <td className="px-3 py-1.5 font-mono">{event.type}</td>
                  <td className="px-3 py-1.5 text-zinc-500">{event.source}</td>
                  <td className="px-3 py-1.5 font-mono text-xs">{summary(event.payload)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
