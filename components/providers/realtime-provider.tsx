'use client';

/**
 * One realtime client per tab, created when the provider mounts (never on import) and
 * closed when it unmounts. Hooks reach it through useRealtimeClient().
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { createRealtimeClient, type RealtimeClient } from '@/lib/client';

const RealtimeContext = createContext<RealtimeClient | null>(null);

export function RealtimeProvider({ children }: { children: ReactNode }) {
  // Lazy state, not a module singleton: one client per provider (and per test render).
  const [client] = useState(() => createRealtimeClient({ autoConnect: false }));
  useEffect(() => {
    client.connect();
    return () => client.close();
  }, [client]);
  return <RealtimeContext.Provider value={client}>{children}</RealtimeContext.Provider>;
}

export function useRealtimeClient(): RealtimeClient {
  const client = useContext(RealtimeContext);
  if (client === null) throw new Error('useRealtimeClient must be used inside <RealtimeProvider>');
  return client;
}
