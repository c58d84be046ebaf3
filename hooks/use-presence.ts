'use client';

import { useEffect, useState } from 'react';
import type { PresenceMember } from '@/lib/shared/socket-events';
import { useRealtimeClient } from '@/components/providers/realtime-provider';
import { useWebSocket } from './use-web-socket';

/**
 * Who watches a room (project rooms carry presence). Subscribes to the room so this tab
 * counts too, asks for the members once connected, then follows `presence` messages.
 */
export function usePresence(room: string): { members: PresenceMember[]; loaded: boolean } {
  const client = useRealtimeClient();
  const { connected } = useWebSocket();
  const [state, setState] = useState<{ room: string; members: PresenceMember[]; loaded: boolean }>({
    room,
    members: [],
    loaded: false,
  });

  useEffect(() => client.subscribe(room, { onEvents: () => undefined }), [client, room]);

  useEffect(() => {
    const stop = client.onPresence((message) => {
      if (message.room === room) setState({ room, members: message.members, loaded: true });
    });
    if (connected) {
      client.getPresence(room).then(
        (members) => setState({ room, members, loaded: true }),
        () => undefined,
      );
    }
    return stop;
  }, [client, room, connected]);

  return state.room === room
    ? { members: state.members, loaded: state.loaded }
    : { members: [], loaded: false };
}
