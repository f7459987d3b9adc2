/**
 * `npm start`: the whole local stack, supervised as one.
 *
 *   1. Azurite's table service, on disk under .data/azurite, on 127.0.0.1:10002 (or the next free
 *      port) — skipped when AZURE_STORAGE_CONNECTION_STRING is already set (a real account);
 *   2. the bot (`node --import tsx src/index.ts`, or BOT_ENTRY) on PORT (default 3978, or the next
 *      free port), ready once GET /healthz answers 200;
 *   3. the Microsoft 365 Agents Playground (a local Teams-like client) pointed at the bot.
 *
 * Ctrl-C, SIGTERM or SIGHUP stops them in reverse order (Azurite with SIGINT, so nothing is lost);
 * a second Ctrl-C kills at once. (`kill` the pid printed in the banner, not npm's: npm does not
 * pass SIGTERM on.) If any of them dies on its own, the rest are stopped and this exits 1.
 * Output lines are prefixed with the process name. The bot logs JSON (as in production); here each
 * JSON line is shown human-readable with pino-pretty (LOG_FORMAT=json shows the raw lines).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { prettyFactory } from 'pino-pretty';
import {
  describeExit,
  findFreePort,
  startAzurite,
  startBot,
  startPlayground,
  type ManagedProcess,
} from './lib/processes';

const root = path.resolve(__dirname, '..');
const dataDir = path.join(root, '.data');
const running: ManagedProcess[] = [];
let shuttingDown = false;

/** pino JSON lines → one readable line each; anything that is not a pino line passes through unchanged. */
function prettyLogLines(): ((line: string) => string) | undefined {
  if (process.env.LOG_FORMAT === 'json') return undefined;
  const pretty = prettyFactory({
    colorize: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,app',
    singleLine: true,
  });
  return (line) => {
    if (!line.startsWith('{')) return line;
    try {
      return pretty(JSON.parse(line)).trimEnd();
    } catch {
      return line;
    }
  };
}

function say(message: string): void {
  console.log(`[dev-stack] ${message}`);
}

async function stopAll(): Promise<void> {
  for (const proc of [...running].reverse()) {
    if (!proc.isRunning()) continue;
    say(`stopping ${proc.name}…`);
    const info = await proc.stop();
    say(`${proc.name} stopped (${describeExit(info)})`);
  }
}

async function shutdown(reason: string, exitCode: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    say(reason);
    await stopAll();
  }
  process.exit(exitCode);
}

/** Once started, a child that exits without being asked to takes the whole stack down. */
function supervise(proc: ManagedProcess): void {
  running.push(proc);
  void proc.exited.then((info) => {
    if (proc.stopping || shuttingDown) return;
    void shutdown(`${proc.name} exited unexpectedly (${describeExit(info)}); stopping the rest.`, 1);
  });
}

function onSignal(signal: NodeJS.Signals): void {
  if (shuttingDown) {
    say(`${signal} again: killing everything now.`);
    for (const proc of running) proc.child.kill('SIGKILL');
    process.exit(130);
  }
  void shutdown(`${signal} received: stopping (Ctrl-C again to kill at once).`, 0);
}

async function main(): Promise<void> {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal); // the terminal went away
  mkdirSync(dataDir, { recursive: true });

  // 1. Storage.
  let connectionString = process.env.AZURE_STORAGE_CONNECTION_STRING;
  let storage = 'AZURE_STORAGE_CONNECTION_STRING (from the environment)';
  if (connectionString) {
    say('AZURE_STORAGE_CONNECTION_STRING is set: using that storage account, not starting Azurite.');
  } else {
    const location = path.join(dataDir, 'azurite');
    mkdirSync(location, { recursive: true });
    const port = await findFreePort(10002);
    if (port !== 10002) say(`port 10002 is taken: Azurite uses ${port}.`);
    const azurite = await startAzurite(port, { location, cwd: root, onSpawn: supervise });
    connectionString = azurite.connectionString;
    storage = `Azurite on port ${port} (data in ${path.relative(root, location)}/)`;
    say(
      `Azurite table service on http://127.0.0.1:${port}/devstoreaccount1 (data in ${path.relative(root, location)})`,
    );
  }
  if (shuttingDown) return;

  // 2. The bot.
  const wantedBotPort = Number(process.env.PORT ?? 3978);
  const botPort = await findFreePort(wantedBotPort);
  if (botPort !== wantedBotPort) say(`port ${wantedBotPort} is taken: the bot uses ${botPort}.`);
  const bot = await startBot(
    botPort,
    { ...process.env, AZURE_STORAGE_CONNECTION_STRING: connectionString },
    {
      cwd: root,
      entry: process.env.BOT_ENTRY ?? 'src/index.ts',
      onSpawn: supervise,
      formatLine: prettyLogLines(),
    },
  );
  say(`bot healthy at ${bot.healthUrl}`);
  if (shuttingDown) return;

  // 3. The Playground.
  const playgroundPort = await findFreePort(Number(process.env.PLAYGROUND_PORT ?? 56150));
  const playground = await startPlayground(playgroundPort, bot.endpoint, {
    cwd: root,
    logFile: path.join(dataDir, 'playground.log'),
    onSpawn: supervise,
  });

  const line = '─'.repeat(64);
  console.log(
    `\n${line}\n  Open the Teams Playground:  ${playground.url}\n` +
      `  Bot endpoint:               ${bot.endpoint}\n` +
      `  Storage:                    ${storage}\n` +
      `  Ctrl-C (or kill -TERM ${process.pid}) stops everything.\n${line}\n`,
  );
}

main().catch((err: unknown) => {
  void shutdown(`start-up failed: ${(err as Error).message}`, 1);
});
