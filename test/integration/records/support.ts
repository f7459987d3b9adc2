/**
 * Shared helpers for the records integration tests: seeding records at chosen times, reading
 * record ids back out of list cards, and a small RFC 4180 CSV reader.
 */
import { randomUUID } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { TableClient } from '@azure/data-tables';
import type { DecisionCode } from '../../../src/domain/contract';
import type { NewRecord, StoredRecord } from '../../../src/storage/contract';
import { COUNTER_SHARDS } from '../../../src/storage/decisionCounters';
import { TableDecisionStore } from '../../../src/storage/decisionStore';
import { cardText, type Card } from '../../support/botHarness';

export const SIGNING_SECRET = 'records-test-signing-secret-0123456789abcdef';
export const PUBLIC_BASE_URL = 'https://bot.example.test';

export interface SeedOptions {
  tenantId: string;
  teamId?: string;
  conversationId?: string;
  by: { aadObjectId: string; name: string };
  decision?: DecisionCode;
  caseReference?: string;
  kind?: NewRecord['kind'];
  parentId?: string;
  recipientRole?: string;
  informationOutline?: string;
  reasonsWithoutConsent?: string;
  openFollowUps?: NewRecord['openFollowUps'];
}

export function newRecord(o: SeedOptions): NewRecord {
  const teamId = o.teamId;
  return {
    idempotencyKey: randomUUID(),
    kind: o.kind ?? 'decision',
    ...(o.parentId ? { parentId: o.parentId } : {}),
    scope: {
      tenantId: o.tenantId,
      conversationId: o.conversationId ?? (teamId ? `19:${teamId}-general@thread.tacv2` : `a:${randomUUID()}`),
      conversationKind: teamId ? 'channel' : 'personal',
      ...(teamId ? { teamId, channelId: `19:${teamId}-general@thread.tacv2` } : {}),
    },
    decidedBy: o.by,
    rulePackVersion: '2026.11',
    ruleId: 'R-TEST',
    decision: o.decision ?? 'share_with_consent',
    answers: { q1: 'yes' },
    consentStatus: 'not_sought',
    reasonsWithoutConsent: o.reasonsWithoutConsent ?? 'Risk of significant harm',
    recipientAgency: 'police',
    recipientRole: o.recipientRole ?? 'duty officer',
    channel: 'phone',
    informationOutline: o.informationOutline ?? 'Concerns raised at school',
    subjectInformed: 'will_inform',
    caseReference: o.caseReference ?? `CS-${randomUUID().slice(0, 8)}`,
    openFollowUps: o.openFollowUps ?? ['inform_subject_later'],
  };
}

/**
 * A store over the app's own table whose clock the test sets, so records get known times. The time
 * travels with each call (AsyncLocalStorage), so several records can be written at once, each at
 * its own time, through one store (one shard picker, as in the bot).
 */
export class ClockedSeeder {
  private readonly clock = new AsyncLocalStorage<number>();
  private readonly store: TableDecisionStore;
  constructor(table: TableClient) {
    this.store = new TableDecisionStore(table, {
      // Seeding is set-up, not the behaviour under test: a loaded machine's Azurite may take longer
      // than the bot's per-call timeout over a thousand records, and that must not fail the file.
      callTimeoutMs: 60_000,
      now: () => {
        const at = this.clock.getStore();
        if (at === undefined) throw new Error('ClockedSeeder: the store was used outside record()');
        return new Date(at);
      },
    });
  }
  async record(at: string | Date, o: SeedOptions): Promise<StoredRecord> {
    return (await this.clock.run(new Date(at).getTime(), () => this.store.record(newRecord(o)))).record;
  }
  /**
   * Many records, `concurrency` at a time (seeding a thousand one by one is a thousand round trips
   * to Azurite). No more at once than the store has counter shards, as the store expects of one process.
   */
  async recordAll(
    items: Array<{ at: string | Date; o: SeedOptions }>,
    concurrency = COUNTER_SHARDS,
  ): Promise<StoredRecord[]> {
    const out: StoredRecord[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await this.record(items[i]!.at, items[i]!.o);
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return out;
  }
}

const RECORD_ID = /D-\d{8}-[0-9A-HJKMNP-TV-Z]{6}/;

/** Record ids in a list card's table, top to bottom. */
export function idsOf(card: Card): string[] {
  const table = (card.body ?? []).find((e) => (e as { type?: string }).type === 'Table') as
    { rows: Array<{ cells: unknown[] }> } | undefined;
  if (!table) return [];
  return table.rows.slice(1).map((row) => {
    const m = RECORD_ID.exec(cardText(row.cells[0]));
    if (!m) throw new Error(`row without a record id: ${JSON.stringify(row).slice(0, 200)}`);
    return m[0];
  });
}

export function actionData(card: Card, title: string): Record<string, unknown> {
  const action = (card.actions ?? []).find((a) => a.title === title);
  if (!action) throw new Error(`no action "${title}"; actions: ${(card.actions ?? []).map((a) => a.title).join(', ')}`);
  return action.data as Record<string, unknown>;
}

export function hasAction(card: Card, title: string): boolean {
  return (card.actions ?? []).some((a) => a.title === title);
}

/** Newest first, as the bot lists them. */
export function newestFirst(records: StoredRecord[]): string[] {
  return [...records]
    .sort((a, b) => (a.recordedAt === b.recordedAt ? 0 : a.recordedAt < b.recordedAt ? 1 : -1))
    .map((r) => r.id);
}

/** RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
