/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per package,
 * so `npm run bench -- --profile` can say where the bot's time goes.
 *
 *   npx tsx bench/cpuProfile.ts path/to/file.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** The window summarised (µs, CLOCK_MONOTONIC like process.hrtime), when not the whole profile. */
  window?: Window;
  /** Share of sampled time the thread was idle (waiting on I/O). */
  idleShare: number;
  functions: SelfTime[];
  packages: SelfTime[];
  /** Our own functions (src/) by inclusive time: the function and everything it called synchronously. */
  ours: SelfTime[];
}

/** A time window in µs of CLOCK_MONOTONIC: V8 profiles use that clock, and so does process.hrtime in any process. */
export interface Window {
  fromUs: number;
  toUs: number;
}

/** Now, on the clock V8's profiles use (see Window). */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * "node_modules/@azure/core-rest-pipeline/…" → "@azure/core-rest-pipeline"; "src/bot/…" → "src/bot"; node internals →
 * "node:…".
 */
export function packageOf(url: string): string {
  if (!url) return '(native/V8)';
  if (url.startsWith('node:')) return 'node internals';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url);
  }
  const src = url.indexOf('/src/');
  if (src >= 0) return `src/${url.slice(src + 5).split('/')[0]}`;
  return path.basename(url);
}

/**
 * Summarises `file`; with `window`, only the samples taken inside it (e.g. the measured run, not start-up or warm-up).
 */
export function summariseProfile(file: string, top = 25, window?: Window): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; attribute it to that sample's node.
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  let totalUs = 0;
  let idleUs = 0;
  const fn = new Map<string, { name: string; where: string; us: number }>();
  const pkg = new Map<string, number>();
  const ours = new Map<string, { name: string; where: string; us: number }>();
  const whereOf = (url: string, lineNumber: number) =>
    url ? `${url.replace(/^file:\/\//, '').replace(/^.*?\/(node_modules|src)\//, '$1/')}:${lineNumber + 1}` : '';
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    totalUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    // Inclusive time: every src/ function on this sample's stack, each once.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (!frame.functionName || !/\/src\//.test(frame.url) || /node_modules/.test(frame.url)) continue;
      const where = whereOf(frame.url, frame.lineNumber);
      const key = `${frame.functionName}@${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = ours.get(key) ?? { name: frame.functionName, where, us: 0 };
      entry.us += us;
      ours.set(key, entry);
    }
    const where = whereOf(url, lineNumber);
    const key = `${functionName}@${where}`;
    const entry = fn.get(key) ?? { name: functionName || '(anonymous)', where, us: 0 };
    entry.us += us;
    fn.set(key, entry);
    const p = functionName === '(garbage collector)' ? '(garbage collector)' : packageOf(url.replace(/^file:\/\//, ''));
    pkg.set(p, (pkg.get(p) ?? 0) + us);
  }
  const busyUs = Math.max(1, totalUs - idleUs);
  const rank = (entries: Array<{ name: string; where: string; us: number }>): SelfTime[] =>
    entries
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({ name: e.name, where: e.where, ms: e.us / 1000, share: e.us / busyUs }));
  return {
    totalMs: totalUs / 1000,
    window,
    idleShare: idleUs / Math.max(1, totalUs),
    functions: rank([...fn.values()]),
    packages: rank([...pkg.entries()].map(([name, us]) => ({ name, where: '', us }))),
    ours: rank([...ours.values()]).slice(0, 15),
  };
}

export function formatProfile(s: ProfileSummary, label: string): string {
  const lines = [
    `CPU profile (${label}): ${(s.totalMs / 1000).toFixed(1)} s sampled${s.window ? ' (measured run only)' : ''}, ${(s.idleShare * 100).toFixed(0)}% idle; shares below are of busy time`,
    '  by package (self time):',
    ...s.packages.map(
      (p) => `    ${(p.share * 100).toFixed(1).padStart(5)}%  ${p.ms.toFixed(0).padStart(6)} ms  ${p.name}`,
    ),
    '  top functions (self time):',
    ...s.functions.map(
      (f) => `    ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}  ${f.where}`,
    ),
    '  our functions (src/), inclusive of what they call synchronously (awaited work shows under the runtime instead):',
    ...s.ours.map(
      (f) => `    ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}  ${f.where}`,
    ),
  ];
  return lines.join('\n');
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: tsx bench/cpuProfile.ts file.cpuprofile [--top N]');
    process.exit(2);
  }
  const i = process.argv.indexOf('--top');
  console.log(formatProfile(summariseProfile(file, i > 0 ? Number(process.argv[i + 1]) : 25), path.basename(file)));
}
