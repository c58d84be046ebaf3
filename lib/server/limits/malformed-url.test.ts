import { describe, expect, it } from 'vitest';
import { hasMalformedPath } from './malformed-url';

describe('malformed url', () => {
  it('flags paths that cannot be percent-decoded, and only the path', () => {
    expect(hasMalformedPath('/api/rooms/%ZZ/history')).toBe(true);
    expect(hasMalformedPath('/api/%')).toBe(true);
    expect(hasMalformedPath('/api/rooms/project%3Aweb/history?since=%ZZ')).toBe(false);
    expect(hasMalformedPath('/api/%00')).toBe(false);
    expect(hasMalformedPath(undefined)).toBe(false);
  });
});
