import { describe, expect, it } from 'vitest';
import { validateEvent } from './validate-event';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('validateEvent', () => {
  it('accepts a catalogue event and normalizes numeric ids to strings', () => {
    const event = validateEvent({
      room: 'project:web',
      type: 'build:progress',
      payload: { buildId: 42, status: 'queued', progress: 0, step: 'queued' },
    });
    expect(event).toEqual({
      room: 'project:web',
      type: 'build:progress',
      payload: { buildId: '42', status: 'queued', progress: 0, step: 'queued' },
    });
  });

  it('rejects catalogue payloads that do not match, including unknown fields', () => {
    expect(
      codeOf(() =>
        validateEvent({
          room: 'project:web',
          type: 'service:status',
          payload: { service: 'api', status: 'sleeping' },
        }),
      ),
    ).toBe('INVALID_EVENT');
    expect(
      codeOf(() =>
        validateEvent({
          room: 'project:web',
          type: 'service:status',
          payload: { service: 'api', status: 'running', typo: 1 },
        }),
      ),
    ).toBe('INVALID_EVENT');
    expect(
      codeOf(() =>
        validateEvent({
          room: 'project:web',
          type: 'build:progress',
          payload: { buildId: 'b', status: 'queued', progress: 101, step: 'x' },
        }),
      ),
    ).toBe('INVALID_EVENT');
  });

  it('accepts custom domain:verb types with any object payload, and rejects other type forms', () => {
    expect(
      validateEvent({ room: 'project:web', type: 'cache:hit-rate', payload: { anything: [1, { a: null }] } })
        .type,
    ).toBe('cache:hit-rate');
    for (const type of ['Cache:hit', 'cache', 'cache:', ':hit', 'cache hit:x']) {
      expect(codeOf(() => validateEvent({ room: 'project:web', type, payload: {} }))).toBe('INVALID_EVENT');
    }
  });

  it('rejects unknown rooms, oversized and deep payloads, and prototype keys', () => {
    expect(codeOf(() => validateEvent({ room: 'web', type: 'x:y', payload: {} }))).toBe('UNKNOWN_ROOM');
    expect(
      codeOf(() => validateEvent({ room: 'project:web', type: 'x:y', payload: { s: 'x'.repeat(70_000) } })),
    ).toBe('PAYLOAD_TOO_LARGE');
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(codeOf(() => validateEvent({ room: 'project:web', type: 'x:y', payload: deep }))).toBe(
      'INVALID_EVENT',
    );
    const polluted = JSON.parse(
      '{"room":"project:web","type":"x:y","payload":{"a":{"__proto__":{"admin":true}}}}',
    ) as unknown;
    expect(codeOf(() => validateEvent(polluted))).toBe('INVALID_EVENT');
    expect(
      codeOf(() => validateEvent({ room: 'project:web', type: 'x:y', payload: { constructor: 1 } })),
    ).toBe('INVALID_EVENT');
  });

  it('routes logs:stream from a project room to its logs room and guards logs rooms', () => {
    const lines = [{ ts: '2026-11-22T10:00:00.000Z', text: 'hello' }];
    expect(
      validateEvent({ room: 'project:web', type: 'logs:stream', payload: { stream: 'api', lines } }).room,
    ).toBe('logs:web:api');
    expect(
      validateEvent({ room: 'logs:web:api', type: 'logs:stream', payload: { stream: 'api', lines } }).room,
    ).toBe('logs:web:api');
    expect(
      codeOf(() =>
        validateEvent({ room: 'logs:web:db', type: 'logs:stream', payload: { stream: 'api', lines } }),
      ),
    ).toBe('INVALID_EVENT');
    expect(codeOf(() => validateEvent({ room: 'logs:web:api', type: 'x:y', payload: {} }))).toBe(
      'INVALID_EVENT',
    );
    expect(
      codeOf(() =>
        validateEvent({ room: 'project:web', type: 'logs:stream', payload: { stream: 'api', lines: [] } }),
      ),
    ).toBe('INVALID_EVENT');
  });

  it('keeps a publisher-supplied id and refuses malformed ones', () => {
    expect(validateEvent({ room: 'project:web', type: 'x:y', payload: {}, id: 'deploy-1' }).id).toBe(
      'deploy-1',
    );
    expect(
      codeOf(() => validateEvent({ room: 'project:web', type: 'x:y', payload: {}, id: 'has space' })),
    ).toBe('INVALID_EVENT');
  });
});
