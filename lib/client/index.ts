/** Public API of the realtime client (browser and Node). */
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
export {
  RoomSequencer,
  DEFAULT_GAP_TIMEOUT_MS,
  DEFAULT_MAX_BUFFERED,
  type ReplyOutput,
  type SequencerOptions,
  type SequencerOutput,
  type SequencerPhase,
  type SequencerReset,
} from './room-sequencer';
export {
  createRealtimeClient,
  type ClientSocket,
  type ConnectionState,
  type ConnectionStatus,
  type IoFactory,
  type PublishResult,
  type RealtimeClient,
  type RealtimeClientOptions,
  type RoomListener,
  type SubscribeOptions,
} from './realtime-client';
