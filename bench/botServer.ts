/**
 * The real "Can I share?" bot for `npm run bench`, as a child process so that the load generator
 * and the bot do not share an event loop:
 *
 *   PORT=0 AZURE_STORAGE_CONNECTION_STRING=… LOG_LEVEL=warn node --import tsx bench/botServer.ts
 *
 * createApp exactly as production builds it (restify, CloudAdapter without an app id, Table
 * storage), with the reminder scheduler off. Prints {"port": n} on stdout when listening; exits
 * cleanly on SIGINT/SIGTERM (so `--cpu-prof` can write its profile).
 */
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';

async function main(): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'development', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...process.env, REMINDERS_ENABLED: 'false' });
  const app = await createApp(config, { reminders: false });
  const port = await app.listen();
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  const stop = () => {
    void app.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench bot failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
