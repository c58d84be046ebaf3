// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and Node-only packages stay outside the route bundles.
  serverExternalPackages: ['better-sqlite3', 'pino', 'prom-client', 'socket.io', 'pg'],
  // `npm test` and `npm run check` run `tsc --noEmit` over the whole repo first, so the build
  // may skip its own pass when asked (saves a minute on two cores).
  typescript: { ignoreBuildErrors: process.env.OPSROOM_BUILD_SKIP_TYPECHECK === '1' },
};

module.exports = nextConfig;
