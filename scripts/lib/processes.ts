/**
 * Spawning, waiting for and stopping child processes: shared by `npm start` (scripts/dev-stack.ts)
 * and the browser e2e harness (test/support/playground.ts). Node built-ins only.
 *
 *   const azurite = startProcess({ name: 'azurite', command: process.execPath, args: [...], stopSignal: 'SIGINT' });
 *   await waitForPort(10002, { proc: azurite });
 *   await azurite.stop();
 *
 * Each child runs in its own process group (`detached`), so a Ctrl-C at the terminal reaches only
 * the supervisor, which then stops the children itself, in the order it chooses. `stop()` signals
 * the whole group (a child's own children go too) and escalates to SIGKILL after a timeout; if the
 * supervisor itself exits while children are still alive, they are killed on the way out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';

export type StopSignal = 'SIGINT' | 'SIGTERM';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartOptions {
  /** Short name used as the output prefix and in messages. */
  name: string;
  command: string;
  args?: readonly string[];
  cwd?: string;
  /** Full environment for the child (defaults to this process's). */
  env?: NodeJS.ProcessEnv;
  /** First signal sent by stop(); Azurite on disk needs SIGINT to flush. Default SIGTERM. */
  stopSignal?: StopSignal;
  /** How long stop() waits before SIGKILL. Default 10 s. */
  stopTimeoutMs?: number;
  /**
   * Where each output line goes: 'prefix' writes `[name] line` to this process's stdout/stderr,
   * 'quiet' only keeps it for tail() and waitForOutput(). Default 'prefix'.
   */
  output?: 'prefix' | 'quiet';
  /** Rewrites a line before it is shown with 'prefix' (e.g. pino JSON → human-readable); tail() keeps the original. */
  formatLine?: (line: string) => string;
  /** Called with every output line (stdout and stderr). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** True once stop() has been called: an exit after that is expected. */
  readonly stopping: boolean;
  isRunning(): boolean;
  /** The last ~60 output lines, for error messages. */
  tail(): string;
  /** Resolves with the first output line (past or future) matching `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Signals the process group, waits, then SIGKILLs after the timeout. Safe to call twice. */
  stop(signal?: StopSignal): Promise<ExitInfo>;
}

const live = new Set<ManagedProcess>();
let exitHookInstalled = false;

/** Last resort: if the supervisor exits with children still alive, kill their groups. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const p of live) killGroup(p.pid, 'SIGKILL');
  });
}

/**
 * For test processes: on SIGINT/SIGTERM/SIGHUP, kill every child started here (they run in their
 * own process groups, so a Ctrl-C at the terminal does not reach them) and exit. Installed once.
 */
let signalHookInstalled = false;
export function killChildrenOnSignals(): void {
  if (signalHookInstalled) return;
  signalHookInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const p of live) killGroup(p.pid, 'SIGKILL');
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

const COLOURS = [36, 35, 33, 32, 34, 31];
let colourIndex = 0;

export function startProcess(opts: StartOptions): ManagedProcess {
  installExitHook();
  const child = spawn(opts.command, [...(opts.args ?? [])], {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (child.pid === undefined) {
    // spawn failed (e.g. ENOENT): the 'error' event follows; the throw below reports it.
    child.once('error', () => undefined);
    throw new Error(`${opts.name}: could not start ${opts.command}`);
  }
  const pid = child.pid;
  const lines: string[] = [];
  const watchers = new Set<{ pattern: RegExp; resolve: (m: RegExpMatchArray) => void }>();
  const colour = COLOURS[colourIndex++ % COLOURS.length];
  const tty = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const prefix = tty ? `\x1b[${colour}m[${opts.name}]\x1b[0m ` : `[${opts.name}] `;

  const onLine = (line: string, stream: 'stdout' | 'stderr') => {
    lines.push(line);
    if (lines.length > 60) lines.shift();
    if ((opts.output ?? 'prefix') === 'prefix') {
      const shown = opts.formatLine ? opts.formatLine(line) : line;
      (stream === 'stderr' ? process.stderr : process.stdout).write(prefix + shown + '\n');
    }
    opts.onLine?.(line, stream);
    for (const w of watchers) {
      const m = line.match(w.pattern);
      if (m) {
        watchers.delete(w);
        w.resolve(m);
      }
    }
  };
  readline.createInterface({ input: child.stdout! }).on('line', (l) => onLine(l, 'stdout'));
  readline.createInterface({ input: child.stderr! }).on('line', (l) => onLine(l, 'stderr'));

  let stopping = false;
  let stopPromise: Promise<ExitInfo> | undefined;
  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    child.once('error', (err) => {
      onLine(`failed to start: ${err.message}`, 'stderr');
      exitInfo = { code: -1, signal: null };
      resolve(exitInfo);
    });
  });

  const proc: ManagedProcess = {
    name: opts.name,
    pid,
    child,
    exited,
    get stopping() {
      return stopping;
    },
    isRunning: () => exitInfo === undefined,
    tail: () => lines.join('\n'),
    waitForOutput(pattern, timeoutMs) {
      const past = lines.map((l) => l.match(pattern)).find((m): m is RegExpMatchArray => m !== null);
      if (past) return Promise.resolve(past);
      return new Promise((resolve, reject) => {
        const watcher = { pattern, resolve: (m: RegExpMatchArray) => finish(() => resolve(m)) };
        const timer = setTimeout(
          () =>
            finish(() =>
              reject(new Error(`${opts.name}: no output matching ${pattern} within ${timeoutMs} ms\n${proc.tail()}`)),
            ),
          timeoutMs,
        );
        void exited.then((info) =>
          finish(() =>
            reject(new Error(`${opts.name} exited (${describeExit(info)}) before printing ${pattern}\n${proc.tail()}`)),
          ),
        );
        let done = false;
        function finish(fn: () => void) {
          if (done) return;
          done = true;
          clearTimeout(timer);
          watchers.delete(watcher);
          fn();
        }
        watchers.add(watcher);
      });
    },
    stop(signal) {
      stopping = true;
      if (stopPromise) return stopPromise;
      stopPromise = (async () => {
        if (exitInfo) return exitInfo;
        killGroup(pid, signal ?? opts.stopSignal ?? 'SIGTERM');
        const timer = setTimeout(() => {
          onLine(`did not stop within ${opts.stopTimeoutMs ?? 10_000} ms: killing`, 'stderr');
          killGroup(pid, 'SIGKILL');
        }, opts.stopTimeoutMs ?? 10_000);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      })();
      return stopPromise;
    },
  };
  live.add(proc);
  void exited.then(() => {
    live.delete(proc);
    // The leader is gone; make sure nothing it started lingers in its group.
    killGroup(pid, 'SIGKILL');
  });
  return proc;
}

export function describeExit(info: ExitInfo): string {
  return info.signal ? `signal ${info.signal}` : `code ${info.code}`;
}

// ---------------------------------------------------------------------------------------------
// Ports

/** True when nothing listens on host:port (we can bind it ourselves). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A free TCP port: `preferred` or the next free one above it, or (without `preferred`) one the OS
 * picks. Ports are checked on 0.0.0.0 too, since the Playground listens on all interfaces.
 */
export async function findFreePort(preferred?: number, host = '127.0.0.1'): Promise<number> {
  if (preferred !== undefined) {
    for (let port = preferred; port < preferred + 100 && port < 65536; port++) {
      if ((await isPortFree(port, host)) && (await isPortFree(port, '0.0.0.0'))) return port;
    }
    throw new Error(`no free port in ${preferred}–${preferred + 99}`);
  }
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not pick a free port'))));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Waiting

export interface WaitOptions {
  timeoutMs?: number;
  /** When given, waiting fails at once if this process exits. */
  proc?: ManagedProcess;
  host?: string;
}

async function poll(what: string, check: () => Promise<boolean>, opts: WaitOptions): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (opts.proc && !opts.proc.isRunning()) {
      const info = await opts.proc.exited;
      throw new Error(
        `${opts.proc.name} exited (${describeExit(info)}) while waiting for ${what}:\n${opts.proc.tail()}`,
      );
    }
    if (await check()) return;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${opts.proc ? `:\n${opts.proc.tail()}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(500);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

export function waitForPort(port: number, opts: WaitOptions = {}): Promise<void> {
  const host = opts.host ?? '127.0.0.1';
  return poll(`${host}:${port} to accept connections`, () => canConnect(port, host), opts);
}

/** GET `url` once; resolves with the status code (0 when the request failed). */
export function httpStatus(url: string, timeoutMs = 2_000): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(0));
  });
}

export function waitForHttp(url: string, opts: WaitOptions & { status?: number } = {}): Promise<void> {
  const want = opts.status ?? 200;
  return poll(`GET ${url} to answer ${want}`, async () => (await httpStatus(url)) === want, opts);
}

// ---------------------------------------------------------------------------------------------
// Where the tools are (resolved through package.json `bin`, run with this Node: no shell, no shim)

export function binScript(pkgName: string, binName: string, fromDir = process.cwd()): string {
  const pkgJson = require.resolve(`${pkgName}/package.json`, { paths: [fromDir, __dirname] });
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.[binName];
  if (!bin) throw new Error(`package ${pkgName} has no '${binName}' bin`);
  return path.join(path.dirname(pkgJson), bin);
}

// ---------------------------------------------------------------------------------------------
// Azurite, the bot and the Playground, as the dev stack and the e2e tests start them

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(port: number, host = '127.0.0.1'): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
    `TableEndpoint=http://${host}:${port}/${AZURITE_ACCOUNT};`
  );
}

export interface ServiceOptions {
  name?: string;
  output?: 'prefix' | 'quiet';
  cwd?: string;
  /** Called as soon as the process is spawned (before it is ready), e.g. to supervise it. */
  onSpawn?: (proc: ManagedProcess) => void;
}

/** Azurite's table service on 127.0.0.1:port: on disk under `location` (stopped with SIGINT), or in memory. */
export async function startAzurite(
  port: number,
  opts: ServiceOptions & { location?: string; timeoutMs?: number } = {},
) {
  const proc = startProcess({
    name: opts.name ?? 'azurite',
    command: process.execPath,
    args: [
      binScript('azurite', 'azurite-table', opts.cwd),
      ...(opts.location ? ['--location', opts.location] : ['--inMemoryPersistence']),
      '--disableTelemetry',
      '--silent',
      '--skipApiVersionCheck',
      '--loose',
      '--tableHost',
      '127.0.0.1',
      '--tablePort',
      String(port),
    ],
    cwd: opts.cwd,
    stopSignal: 'SIGINT',
    output: opts.output,
  });
  opts.onSpawn?.(proc);
  try {
    await waitForPort(port, { proc, timeoutMs: opts.timeoutMs ?? 20_000 });
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { proc, port, connectionString: azuriteConnectionString(port) };
}

/** The bot (`node --import tsx src/index.ts`), ready once GET /healthz answers 200. */
export async function startBot(
  port: number,
  env: NodeJS.ProcessEnv,
  opts: ServiceOptions & { entry?: string; timeoutMs?: number; formatLine?: (line: string) => string } = {},
) {
  const proc = startProcess({
    name: opts.name ?? 'bot',
    command: process.execPath,
    args: ['--import', 'tsx', opts.entry ?? 'src/index.ts'],
    cwd: opts.cwd,
    env: { ...env, PORT: String(port) },
    stopSignal: 'SIGTERM',
    output: opts.output,
    formatLine: opts.formatLine,
  });
  opts.onSpawn?.(proc);
  const healthUrl = `http://127.0.0.1:${port}/healthz`;
  try {
    await waitForHttp(healthUrl, { proc, timeoutMs: opts.timeoutMs ?? 60_000 });
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { proc, port, endpoint: `http://127.0.0.1:${port}/api/messages`, healthUrl };
}

/**
 * The Microsoft 365 Agents Playground serving its Teams-like client for `endpoint`.
 * It has no flag to keep it from opening a browser: TEAMSAPPTESTER_BROWSER=none does that. Its log
 * file defaults to ./devTools/ in the working directory, so `logFile` should point somewhere
 * ignored. It falls back to a random port when `port` is taken, so the port it prints is used.
 */
export async function startPlayground(
  port: number,
  endpoint: string,
  opts: ServiceOptions & {
    logFile: string;
    conversationId?: string;
    timeoutMs?: number;
    extraArgs?: readonly string[];
  },
) {
  const proc = startProcess({
    name: opts.name ?? 'playground',
    command: process.execPath,
    args: [
      binScript('@microsoft/m365agentsplayground', 'agentsplayground', opts.cwd),
      '-e',
      endpoint,
      '-c',
      'msteams',
      '--dt',
      '-p',
      String(port),
      ...(opts.conversationId ? ['--conversation-id', opts.conversationId] : []),
      ...(opts.extraArgs ?? []),
    ],
    cwd: opts.cwd,
    env: {
      ...process.env,
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_LOGFILE: opts.logFile,
    },
    stopSignal: 'SIGTERM',
    output: opts.output,
  });
  opts.onSpawn?.(proc);
  try {
    const m = await proc.waitForOutput(/Listening on (\d+)/, opts.timeoutMs ?? 30_000);
    const actual = Number(m[1]);
    await waitForHttp(`http://127.0.0.1:${actual}/`, { proc, timeoutMs: opts.timeoutMs ?? 30_000 });
    return { proc, port: actual, url: `http://127.0.0.1:${actual}/` };
  } catch (err) {
    await proc.stop();
    throw err;
  }
}
