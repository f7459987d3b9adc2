/**
 * Helpers for the feature tests: the real restify server and the real bot over HTTP, on the
 * in-memory stores (no Azurite), so each card flow runs in well under a second.
 */
import assert from 'node:assert/strict';
import type { StoredRecord } from '../../src/storage/contract';
import {
  cardOf,
  cardText,
  choicesOf,
  findAction,
  startBot,
  type Card,
  type HarnessAppOptions,
  type MemoryBotHarness,
  type TeamsClient,
} from '../support/botHarness';
import { MemoryDecisionStore } from '../support/memoryStores';
import { newRecord, type SeedOptions } from '../integration/records/support';

export type FeatureBot = MemoryBotHarness;

/** The bot on in-memory stores. */
export function startFeatureBot(env: Record<string, string> = {}, app?: HarnessAppOptions): Promise<FeatureBot> {
  return startBot(env, { stores: 'memory', ...(app ? { app } : {}) });
}

/** Sends a message and returns the one card the bot answers with. */
export async function say(client: TeamsClient, text: string): Promise<Card> {
  const replies = await client.say(text);
  assert.equal(replies.length, 1, `one reply to "${text}"`);
  return cardOf(replies[0]!);
}

/**
 * Answers each question card from the answer table until an outcome card arrives; returns it and the questions asked.
 */
export async function answerAll(
  client: TeamsClient,
  first: Card,
  answers: Readonly<Record<string, string>>,
): Promise<{ card: Card; asked: string[] }> {
  let card = first;
  const asked: string[] = [];
  for (let i = 0; i < 40; i++) {
    const next = findAction(card, card.actions?.some((a) => a.title === 'Next') ? 'Next' : 'Record this decision');
    if (next.verb !== 'answer') return { card, asked };
    const questionId = String((next.data as { q: string }).q);
    const code = answers[questionId];
    assert.ok(code, `the bot asked "${questionId}", which this case does not answer`);
    assert.ok(
      choicesOf(card).some((c) => c.value === code),
      `"${code}" is offered for ${questionId}`,
    );
    asked.push(questionId);
    card = await client.click(card, 'Next', { answer: code });
  }
  throw new Error('questionnaire did not end');
}

/** The record id a "Decision recorded" card shows. */
export function recordedId(card: Card): string {
  const id = /Record id: \*\*(D-[A-Z0-9-]+)\*\*/.exec(cardText(card))?.[1];
  assert.ok(id, 'the confirmation shows a record id');
  return id;
}

/** Seeds records at chosen times into the bot's own in-memory decisions (a second store over the same rows). */
export class MemorySeeder {
  private at = 0;
  private readonly store: MemoryDecisionStore;
  constructor(bot: FeatureBot) {
    this.store = new MemoryDecisionStore({ rows: bot.stores.decisionRows, now: () => new Date(this.at) });
  }
  async record(at: string | Date, o: SeedOptions): Promise<StoredRecord> {
    this.at = new Date(at).getTime();
    return (await this.store.record(newRecord(o))).record;
  }
}
