import { describe, expect, it } from 'vitest';
import { logsRoom, parseRoom, projectRoom, userRoom } from './rooms';

describe('rooms', () => {
  it('parses the four room forms', () => {
    expect(parseRoom(projectRoom('web'))).toEqual({ kind: 'project', room: 'project:web', project: 'web' });
    expect(parseRoom(logsRoom('web', 'build-1'))).toEqual({
      kind: 'logs',
      room: 'logs:web:build-1',
      project: 'web',
      stream: 'build-1',
    });
    expect(parseRoom(userRoom('01ABC'))).toEqual({ kind: 'user', room: 'user:01ABC', userId: '01ABC' });
    expect(parseRoom('system')).toEqual({ kind: 'system', room: 'system' });
  });

  it('rejects everything else', () => {
    for (const room of [
      '',
      'project:',
      'project:Web',
      'project:-web',
      'project:web:x',
      'logs:web',
      'logs:web:',
      'user:',
      'user:a b',
      'systems',
      'project:' + 'a'.repeat(65),
      'x:web',
    ]) {
      expect(parseRoom(room)).toBeNull();
    }
  });
});
