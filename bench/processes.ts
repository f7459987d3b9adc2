/**
 * The servers `npm run bench` measures, as child processes running compiled JavaScript with plain
 * `node` (no tsx, no source transform): the bot is the production entry point `dist/src/index.js`
 * from `npm run build`, the baseline is `dist/bench/baselineEchoBot.js` from tsconfig.bench.json.
 *
 * Also reads what the bench reports about a process from /proc: CPU time and peak RSS.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, freePort } from '../test/integration/robustness/support';

export const BOT_ENTRY = 'dist/src/index.js';
export const BASELINE_ENTRY = 'dist/bench/baselineEchoBot.js';

/** `npm run build` (the production build) and the bench baseline; stops the bench if either fails. */
export function buildAll(): number {
  const t0 = Date.now();
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const project of ['tsconfig.build.json', 'tsconfig.bench.json']) {
    const r = spawnSync(process.execPath, [tsc, '-p', project], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`tsc -p ${project} failed (exit ${r.status ?? r.signal})`);
  }
  return Date.now() - t0;
}

export interface BenchServer {
  pid: number;
  baseUrl: string;
  /** From spawn() to the first 200 from GET /healthz. */
  startMs: number;
  /** CPU time the process had used by then (less sensitive to a busy machine than startMs). */
  startCpuMs: number;
  /** Last 4 KB of stdout and stderr. */
  output(): string;
  /** User + system CPU time so far, in ms. */
  cpuMs(): number;
  /** Peak resident set size so far (VmHWM), in KiB. */
  peakRssKb(): number | undefined;
  /** SIGTERM (graceful, so --cpu-prof writes its profile), SIGKILL after 8 s. */
  stop(): Promise<void>;
}

const CLOCK_TICKS_PER_S = 100; // Linux USER_HZ

/** User + system CPU time of a process so far, in ms (from /proc/<pid>/stat); 0 once it has gone. */
export function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}

export function peakRssKbOf(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

const POLL_MS = 10;

/**
 * `node [nodeArgs] <entry> [args]` on a free port (PORT, HOST=127.0.0.1); resolves once GET /healthz
 * answers 200, timing spawn → healthy with a 10 ms poll.
 */
export async function startServer(opts: {
  entry: string;
  args?: string[];
  nodeArgs?: string[];
  env: Record<string, string>;
  timeoutMs?: number;
}): Promise<BenchServer> {
  const port = await freePort();
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...(opts.nodeArgs ?? []), opts.entry, ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-4096);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = t0 + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${opts.entry} exited (${child.exitCode ?? child.signalCode}):\n${out}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${opts.entry} did not become healthy in time:\n${out}`);
    }
    const healthy = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (healthy) break;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const startMs = performance.now() - t0;
  const pid = child.pid!;
  return {
    pid,
    baseUrl,
    startMs,
    startCpuMs: cpuMsOf(pid),
    output: () => out,
    cpuMs: () => cpuMsOf(pid),
    peakRssKb: () => peakRssKbOf(pid),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
    },
  };
}
