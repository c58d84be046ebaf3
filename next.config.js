// @ts-check
/** next/constants' PHASE_DEVELOPMENT_SERVER (a require() here would trip the lint rules). */
const PHASE_DEVELOPMENT_SERVER = 'phase-development-server';

/**
 * Security headers on every response (issue #4). Scripts need 'unsafe-inline': Next inlines
 * its bootstrap and flight-data scripts, and the root layout inlines the theme script that
 * must run before first paint. Nonces would need a proxy that makes every page dynamic and
 * threads the nonce into the layout; the other directives (no framing, no plugins, no
 * foreign origins for scripts, styles, connections, forms or <base>) still apply.
 * @param {boolean} dev
 */
function securityHeaders(dev) {
  const csp = [
    "default-src 'self'",
    // React's development build evaluates code (stack frames, HMR); production never does.
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
    // Next and Tailwind inject style elements and React sets style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    // The Socket.IO client opens ws:/wss: to this server (same host; 'self' alone does not cover ws: everywhere).
    "connect-src 'self' ws: wss:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return [
    { key: 'Content-Security-Policy', value: csp },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'same-origin' },
    // For browsers older than frame-ancestors.
    { key: 'X-Frame-Options', value: 'DENY' },
  ];
}

/** @type {(phase: string) => import('next').NextConfig} */
module.exports = (phase) => ({
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and Node-only packages stay outside the route bundles.
  serverExternalPackages: ['better-sqlite3', 'pino', 'prom-client', 'socket.io', 'pg'],
  // `npm test` and `npm run check` run `tsc --noEmit` over the whole repo first, so the build
  // may skip its own pass when asked (saves a minute on two cores).
  typescript: { ignoreBuildErrors: process.env.OPSROOM_BUILD_SKIP_TYPECHECK === '1' },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders(phase === PHASE_DEVELOPMENT_SERVER) }];
  },
});
