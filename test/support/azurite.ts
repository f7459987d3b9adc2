/**
 * Starts the real Azurite Table service (from node_modules) for integration tests.
 *
 *   const azurite = await startAzurite();                  // in-memory, free port
 *   const again = await startAzurite({ port: azurite.port, location }); // restart on the same port
 *   await azurite.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { canConnect, findFreePort } from '../../scripts/lib/processes';

export interface AzuriteOptions {
  /** Workspace folder for on-disk persistence; in-memory when absent (data is lost on stop). */
  location?: string;
  /** Port to listen on; a free one is picked when absent. Pass the old port to "restart". */
  port?: number;
  /** How long to wait for the port to accept connections. */
  readyTimeoutMs?: number;
}

export interface AzuriteHandle {
  connectionString: string;
  port: number;
  /** SIGINT (lets an on-disk workspace flush), then SIGKILL after 5 s. Safe to call twice. */
  stop(): Promise<void>;
}

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const HOST = '127.0.0.1';

export function azuriteConnectionString(port: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};` +
    `TableEndpoint=http://${HOST}:${port}/${ACCOUNT};`
  );
}

export async function startAzurite(opts: AzuriteOptions = {}): Promise<AzuriteHandle> {
  const port = opts.port ?? (await findFreePort());
  const args = [
    azuriteTableScript(),
    opts.location ? '--location' : '--inMemoryPersistence',
    ...(opts.location ? [opts.location] : []),
    '--disableTelemetry',
    '--silent',
    '--skipApiVersionCheck',
    '--loose',
    '--tableHost',
    HOST,
    '--tablePort',
    String(port),
  ];
  // process.execPath rather than the .bin shim: no shell, and the same Node as the tests.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2000);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  try {
    await waitForPort(port, child, opts.readyTimeoutMs ?? 20_000, () => output);
  } catch (err) {
    await stopChild(child, exited);
    throw err;
  }
  return { connectionString: azuriteConnectionString(port), port, stop: () => stopChild(child, exited) };
}

/** Resolves Azurite's table entry point through its package.json `bin`, so a layout change is caught here. */
function azuriteTableScript(): string {
  const pkgJson = require.resolve('azurite/package.json');
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { bin?: Record<string, string> };
  const bin = pkg.bin?.['azurite-table'];
  if (!bin) throw new Error(`azurite package at ${pkgJson} has no 'azurite-table' bin`);
  return path.join(path.dirname(pkgJson), bin);
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number, tail: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `Azurite exited (code ${child.exitCode ?? child.signalCode}) before listening on ${HOST}:${port}:\n${tail()}`,
      );
    }
    if (await canConnect(port, HOST)) return;
    if (Date.now() > deadline) {
      throw new Error(`Azurite did not accept connections on ${HOST}:${port} within ${timeoutMs} ms:\n${tail()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  try {
    await exited;
  } finally {
    clearTimeout(killTimer);
  }
}
