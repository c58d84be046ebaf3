'use client';

/**
 * One realtime client and one store registry per tab, created when the provider mounts
 * (never on import) and closed when it unmounts. Hooks reach them through the accessors.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { createRealtimeClient, type RealtimeClient } from '@/lib/client';
import { createStoreRegistry, type HistoryFetcher, type StoreRegistry } from '@/lib/stores/store-registry';

interface Realtime {
  client: RealtimeClient;
  registry: StoreRegistry;
}

const RealtimeContext = createContext<Realtime | null>(null);

export interface RealtimeProviderProps {
  userId?: string;
  children: ReactNode;
  /** Outside a browser page (tests, embedding): the server and an API token. Default: same origin, cookie. */
  url?: string;
  token?: string;
  fetchHistory?: HistoryFetcher;
}

export function RealtimeProvider({ userId, children, url, token, fetchHistory }: RealtimeProviderProps) {
  // Lazy state, not a module singleton: one client per provider (and per test render).
  const [realtime] = useState<Realtime>(() => {
    const client = createRealtimeClient({
      autoConnect: false,
      ...(url !== undefined && { url }),
      ...(token !== undefined && { token }),
    });
    return { client, registry: createStoreRegistry(client, fetchHistory) };
  });
  useEffect(() => {
    realtime.client.connect();
    return () => realtime.client.close();
  }, [realtime]);
  useEffect(
    () => (userId === undefined ? undefined : realtime.registry.watchUser(userId)),
    [realtime, userId],
  );
  return <RealtimeContext.Provider value={realtime}>{children}</RealtimeContext.Provider>;
}

function useRealtime(): Realtime {
  const realtime = useContext(RealtimeContext);
  if (realtime === null) throw new Error('Opsroom hooks must be used inside <RealtimeProvider>');
  return realtime;
}

export const useRealtimeClient = (): RealtimeClient => useRealtime().client;
export const useStoreRegistry = (): StoreRegistry => useRealtime().registry;
