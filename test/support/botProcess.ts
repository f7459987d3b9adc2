/**
 * The real bot (createApp, as production builds it) in a child process, for tests that must read
 * the bot's memory apart from the test's own. Started with --expose-gc by the test:
 *
 *   node --expose-gc --import tsx test/support/botProcess.ts      (env: AZURE_STORAGE_CONNECTION_STRING, …)
 *
 * Prints {"port": n} when listening. Each line "memory" on stdin is answered with one JSON line:
 * process.memoryUsage() after a full garbage collection (what is actually retained), and the
 * number of open connections.
 */
import { createInterface } from 'node:readline';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';

async function main(): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...process.env });
  const app = await createApp(config, { reminders: false, retention: false });
  const port = await app.listen();
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() !== 'memory') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    // Buffers' backing stores are released by finalizers after the collection: collect again after they ran.
    setTimeout(() => {
      gc?.();
      app.server.server.getConnections((_err, connections) => {
        process.stdout.write(`${JSON.stringify({ memory: process.memoryUsage(), connections })}\n`);
      });
    }, 200);
  });
  process.once('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`test bot failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
