/**
 * A request path with broken percent-encoding (`/api/rooms/%ZZ/history`) makes Next's router
 * throw while decoding route params, before any route code runs, and the client gets a bare
 * 500. Such requests are answered here, before Next, as what they are: a malformed request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function hasMalformedPath(url: string | undefined): boolean {
  const path = (url ?? '/').split('?', 1)[0] ?? '/';
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/** Answers 400 INVALID_MESSAGE and returns true when the path cannot be decoded. */
export function rejectMalformedPath(req: IncomingMessage, res: ServerResponse): boolean {
  if (!hasMalformedPath(req.url)) return false;
  res.writeHead(400, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(
    JSON.stringify({
      error: { code: 'INVALID_MESSAGE', message: 'The URL path is not valid percent-encoding.' },
    }),
  );
  return true;
}
