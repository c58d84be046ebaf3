import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/shared/socket-events';
import type { Principal } from '../auth/principal';
import type { AuthService } from '../auth/auth-service';
import type { Hub } from '../hub/hub';
import type { Logger } from '../logger';
import type { Presence } from '../presence/presence';
import type { Store } from '../store/store';

export interface SocketData {
  principal: Principal;
  clientId: string;
}

export type OpsroomServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
export type OpsroomSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** What every socket handler may use. */
export interface HandlerContext {
  socket: OpsroomSocket;
  store: Store;
  hub: Hub;
  presence: Presence;
  auth: AuthService;
  logger: Logger;
  historyMaxEvents: number;
  maxSubscriptionsPerSocket: number;
}
