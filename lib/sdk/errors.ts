/**
 * What the publisher SDK throws or reports. Each error carries a stable `code` (the
 * server's error codes of PROTOCOL §5 where the server said it) so callers branch on codes,
 * not on message text.
 */

/** Base class: `instanceof PublisherError` catches everything the SDK raises on purpose. */
export class PublisherError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The event failed local validation (the same checks the server applies), so it was never
 * queued. Thrown synchronously by `publish()` and every typed helper: an invalid event is a
 * bug in the caller, and dropping it silently would hide that bug.
 */
export class InvalidEventError extends PublisherError {
  constructor(
    code: string,
    message: string,
    /** Field-level problems from the event schema (`[{path, message}]`) or size limits. */
    readonly details: unknown,
    readonly event: { room: unknown; type: unknown },
  ) {
    super(code, message);
  }
}

/**
 * The server refused the token itself (401), its scope or project (403), or has no
 * publish API at the URL (404/405); `status` 0 is a failure inside the publisher. Nothing
 * would get through, so the publisher stops: queued events are dropped and later ones are
 * counted as dropped.
 */
export class FatalPublishError extends PublisherError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
  ) {
    super(code, `${status} ${code}: ${message}`);
  }
}

/** `publish()` after `close()`: the caller's lifecycle is wrong, so say so loudly. */
export class PublisherClosedError extends PublisherError {
  constructor() {
    super('PUBLISHER_CLOSED', 'This publisher was closed; create a new one to publish more events.');
  }
}
