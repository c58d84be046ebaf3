/**
 * Opsroom publisher SDK for Node: `createPublisher({ url, token })`, typed helpers per event
 * type, batching, idempotent retries and a flush on exit. See lib/sdk/publisher.ts.
 *
 *   const opsroom = createPublisher({ url: 'http://localhost:3000', token: process.env.OPSROOM_TOKEN! });
 *   opsroom.buildProgress('web', { buildId: '42', status: 'in-progress', progress: 40, step: 'test' });
 *   opsroom.log('web', 'build-42', [{ text: 'tests passed', level: 'info' }]);
 *   await opsroom.close();
 */
export { createPublisher, type Publisher, type PublisherOptions, type PublisherStats } from './publisher';
export { FatalPublishError, InvalidEventError, PublisherClosedError, PublisherError } from './errors';
export type { TypedHelpers, TypedPublisher } from './typed-publisher';
export * from './events';
