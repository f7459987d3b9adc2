/**
 * Entry point: `node dist/src/index.js` (production) or `tsx src/index.ts` (development).
 * Configuration errors stop start-up with a message naming each bad variable.
 */
import './compileCache'; // first: the modules below load from the compile cache
import { ConfigError, loadConfig } from './config';
import { createApp } from './app';
import { createLogger } from './logger';

async function main(): Promise<void> {
  let config;
  try {
    // Every setting, the schedulers' included, is checked here, before touching storage.
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every setting.\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const app = await createApp(config, { logger });
  const port = await app.listen();
  logger.info(
    { event: 'server.listening', port, authenticated: Boolean(config.MICROSOFT_APP_ID) },
    `bot listening on port ${port}`,
  );

  const shutdown = (signal: string) => {
    logger.info({ event: 'server.stopping', signal }, 'stopping');
    void app.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Start-up failed: ${(err as Error).message}\n`);
  process.exit(1);
});
