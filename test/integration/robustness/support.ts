/**
 * Shared by the robustness tests and `npm run bench`: realistic answers and record-form values,
 * walking a questionnaire, counting records and idempotency markers with a raw TableClient, and
 * running a bot as a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { odata, TableClient } from '@azure/data-tables';
import { evaluate, rulePack, RULE_PACK_VERSION } from '../../../src/domain';
import { idempotencyRowKey, tenantPartitionKey } from '../../../src/storage/decisionKeys';
import { TABLE_NAMES } from '../../../src/storage/tableClients';
import { cardText, findAction, type Card, type TeamsClient } from '../../support/botHarness';

export const ROOT = path.resolve(__dirname, '../../..');

export { RECORD_FORM, SHARE_WITHOUT_ASKING } from '../../support/scenarios';

/** The answers on the path for `answers`, in order, as the engine asks them (stops at the outcome or after `limit`). */
export function pathAnswers(
  answers: Readonly<Record<string, string>>,
  limit = Infinity,
): { given: Record<string, string>; next?: { q: string; answer: string } } {
  const given: Record<string, string> = {};
  for (let i = 0; i < 60; i++) {
    const result = evaluate(rulePack, given);
    if (result.kind === 'outcome') return { given };
    const q = result.question.id;
    const answer = answers[q];
    if (answer === undefined) throw new Error(`the answer set does not answer "${q}"`);
    if (Object.keys(given).length >= limit) return { given, next: { q, answer } };
    given[q] = answer;
  }
  throw new Error('questionnaire did not end');
}

export type CardState = { v: string; a: Record<string, string>; o: string } & Record<string, unknown>;

/** Card state for `owner` with the given answers, built by hand (for a user with no questionnaire on record). */
export function stateFor(owner: string, a: Record<string, string>, v = RULE_PACK_VERSION): CardState {
  return { v, a, o: owner, i: randomUUID() };
}

/** The questionnaire state a bot-issued card carries (on Next, Record or Back). */
export function stateOf(card: Card): CardState {
  for (const action of card.actions ?? []) {
    const s = (action.data as { s?: CardState } | undefined)?.s;
    if (s && typeof s === 'object' && 'a' in s) return s;
  }
  throw new Error(`card carries no questionnaire state: ${cardText(card).slice(0, 200)}`);
}

/**
 * A bot-issued state (same owner, version and session) with other answers: what a tampered or replayed card would send.
 */
export const withAnswers = (s: CardState, a: Record<string, string>): CardState => ({ ...s, a });

/** Answers each question card from the answer table until a card without "Next" arrives. */
export async function answerAll(
  client: TeamsClient,
  first: Card,
  answers: Readonly<Record<string, string>>,
): Promise<Card> {
  let card = first;
  for (let i = 0; i < 40; i++) {
    if (!card.actions?.some((a) => a.title === 'Next')) return card;
    const q = String((findAction(card, 'Next').data as { q: string }).q);
    const code = answers[q];
    if (!code) throw new Error(`the bot asked "${q}", which this case does not answer`);
    card = await client.click(card, 'Next', { answer: code });
  }
  throw new Error('questionnaire did not end');
}

export const RECORD_ID = /Record id: \*\*(D-[A-Z0-9-]+)\*\*/;
export const recordIdOf = (card: Card): string | undefined => RECORD_ID.exec(cardText(card))?.[1];

export function decisionsTable(connectionString: string): TableClient {
  return TableClient.fromConnectionString(connectionString, TABLE_NAMES.decisions, {
    allowInsecureConnection: connectionString.includes('http://'),
  });
}

export interface Census {
  /** `rec|…` rows. */
  records: number;
  /** `idem|…` rows. */
  markers: number;
  /** idempotency key → number of record rows carrying it (a value > 1 is a duplicate). */
  recordsByKey: Map<string, number>;
  /** record id → the record's decidedBy AAD id. */
  decidedBy: Map<string, string>;
  markerRowKeys: Set<string>;
  /** Every row of the table (all tenants), for "nothing partial was written". */
  allRows: number;
}

/** Counts record rows and idempotency markers in a tenant's partition with a raw TableClient. */
export async function census(connectionString: string, tenantId: string): Promise<Census> {
  const table = decisionsTable(connectionString);
  const pk = tenantPartitionKey(tenantId);
  const out: Census = {
    records: 0,
    markers: 0,
    recordsByKey: new Map(),
    decidedBy: new Map(),
    markerRowKeys: new Set(),
    allRows: 0,
  };
  const recs = table.listEntities<{ record: string }>({
    queryOptions: {
      filter: odata`PartitionKey eq ${pk} and RowKey ge 'rec|' and RowKey lt 'rec}'`,
      select: ['record'],
    },
  });
  for await (const row of recs) {
    out.records++;
    const r = JSON.parse(row.record) as { id: string; idempotencyKey: string; decidedBy: { aadObjectId: string } };
    out.recordsByKey.set(r.idempotencyKey, (out.recordsByKey.get(r.idempotencyKey) ?? 0) + 1);
    out.decidedBy.set(r.id, r.decidedBy.aadObjectId);
  }
  const markers = table.listEntities({
    queryOptions: {
      filter: odata`PartitionKey eq ${pk} and RowKey ge 'idem|' and RowKey lt 'idem}'`,
      select: ['RowKey'],
    },
  });
  for await (const row of markers) {
    out.markers++;
    out.markerRowKeys.add(String(row.rowKey));
  }
  for await (const _row of table.listEntities({ queryOptions: { select: ['RowKey'] } })) out.allRows++;
  return out;
}

export const markerRowKeyOf = (idempotencyKey: string): string => idempotencyRowKey(idempotencyKey);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ChildServer {
  child: ChildProcess;
  pid: number;
  port: number;
  baseUrl: string;
  /** Last 4 KB of stdout+stderr. */
  output(): string;
  /** Peak resident set size (VmHWM) in KiB, from /proc. */
  peakRssKb(): number | undefined;
  /** SIGTERM (graceful; --cpu-prof writes its profile), SIGKILL after 8 s. */
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/**
 * Starts `node --import tsx [nodeArgs] script [args]` and waits until it listens: either it prints
 * a JSON line {"port": n}, or (when `port` is given) GET /healthz answers on that port.
 */
export async function spawnServer(opts: {
  script: string;
  args?: string[];
  nodeArgs?: string[];
  env: Record<string, string>;
  port?: number;
  timeoutMs?: number;
}): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    [...(opts.nodeArgs ?? []), '--import', 'tsx', opts.script, ...(opts.args ?? [])],
    {
      cwd: ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let announced: number | undefined;
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-4096);
    const m = /\{"port":(\d+)\}/.exec(out);
    if (m) announced = Number(m[1]);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let port: number | undefined;
  while (port === undefined) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${opts.script} exited (${child.exitCode ?? child.signalCode}):\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${opts.script} did not start in time:\n${out}`);
    }
    if (announced !== undefined) port = announced;
    else if (opts.port !== undefined) {
      const ok = await fetch(`http://127.0.0.1:${opts.port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) port = opts.port;
    }
    if (port === undefined) await new Promise((r) => setTimeout(r, 100));
  }
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
    await exited;
    clearTimeout(timer);
  };
  return {
    child,
    pid: child.pid!,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => out,
    peakRssKb: () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const m = /VmHWM:\s+(\d+)\s+kB/.exec(status);
        return m ? Number(m[1]) : undefined;
      } catch {
        return undefined;
      }
    },
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}
