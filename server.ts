/**
 * Composition root (DESIGN.md layer 3): read config, start the server, shut down cleanly on
 * SIGTERM/SIGINT. Everything else lives in lib/server.
 */
import { ConfigError, loadConfig } from './lib/server/config';
import { createLogger } from './lib/server/logger';
import { startServer } from './lib/server/start-server';

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`opsroom: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel, { instance: config.instanceId });
  const server = await startServer(config, logger, __dirname);

  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal, or a hung close, must still end the process.
    const deadline = setTimeout(() => {
      logger.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    server.shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `opsroom: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
