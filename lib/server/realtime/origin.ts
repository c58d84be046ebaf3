/**
 * Browser origin policy shared by the socket handshake and CSRF checks: a request with an
 * Origin header must come from this server's own origin or one in OPSROOM_ALLOWED_ORIGINS.
 * Requests without Origin (curl, CI, Node clients) are not browser requests and pass.
 */
export function isAllowedOrigin(
  origin: string | undefined | null,
  headers: { host?: string | null; forwardedHost?: string | null },
  allowed: readonly string[],
): boolean {
  if (origin === undefined || origin === null) return true;
  if (allowed.includes(origin)) return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  const ownHosts = [headers.forwardedHost, headers.host].filter(
    (h): h is string => typeof h === 'string' && h.length > 0,
  );
  return ownHosts.some((host) => host.split(',')[0]?.trim() === originHost);
}
