/**
 * The bare-botbuilder baseline for `npm run bench`: an echo bot on restify with CloudAdapter
 * (no app id, so no authentication), nothing of ours. Run as a child process:
 *
 *   node dist/bench/baselineEchoBot.js echo      # echo only (after tsc -p tsconfig.bench.json)
 *   node dist/bench/baselineEchoBot.js upsert    # echo + one upsertEntity to Table storage
 *
 * PORT (0 = any free port) and, for `upsert`, AZURE_STORAGE_CONNECTION_STRING come from the
 * environment. Prints one JSON line {"port": n} on stdout when listening; exits on SIGINT/SIGTERM.
 */
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { TableClient } from '@azure/data-tables';

const mode = process.argv[2] === 'upsert' ? 'upsert' : 'echo';

async function main(): Promise<void> {
  let table: TableClient | undefined;
  if (mode === 'upsert') {
    const conn = process.env.AZURE_STORAGE_CONNECTION_STRING;
    if (!conn) throw new Error('AZURE_STORAGE_CONNECTION_STRING is required for upsert mode');
    table = TableClient.fromConnectionString(conn, process.env.BENCH_TABLE ?? 'benchecho', {
      allowInsecureConnection: conn.includes('http://'),
    });
    try {
      await table.createTable();
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 409) throw err;
    }
  }

  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler();
  bot.onMessage(async (ctx, next) => {
    const text = ctx.activity.text ?? '';
    if (table)
      await table.upsertEntity(
        { partitionKey: 'bench', rowKey: ctx.activity.id ?? String(Math.random()), text },
        'Replace',
      );
    await ctx.sendActivity(`echo: ${text}`);
    await next();
  });

  const server = restify.createServer({ name: 'baseline-echo', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyReader({ maxBodySize: 262_144 }));
  server.use(restify.plugins.jsonBodyParser({ mapParams: false, bodyReader: true }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });
  await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => resolve()));
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);

  const stop = () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`baseline echo bot failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
