/**
 * Storage outage in the middle of a run of record submissions. An on-disk Azurite is stopped
 * (SIGINT) while 4 practitioners keep submitting, then restarted on the same port; every
 * submission that was told "NOT SAVED" is retried from the card it got back (same idempotency
 * key). Asserts: nothing acknowledged is lost, nothing is stored twice, every failure got a clear
 * "NOT SAVED … again" card, and after the retries all 60 decisions are stored exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { startAzurite, type AzuriteHandle } from '../../support/azurite';
import {
  TENANT_A,
  TeamsClient,
  cardOf,
  cardText,
  findAction,
  newUser,
  personalChat,
  startBot,
  type BotHarness,
  type Card,
} from '../../support/botHarness';
import {
  RECORD_FORM,
  SHARE_WITHOUT_ASKING,
  census,
  markerRowKeyOf,
  pathAnswers,
  recordIdOf,
  stateOf,
  withAnswers,
} from './support';

const USERS = 4;
const PER_USER = 15;
const TOTAL = USERS * PER_USER;
/** Stop storage once this many submissions have been answered; restart after this many more. */
const STOP_AFTER = 20;
const DOWN_FOR = 10;

interface Submission {
  n: number;
  client: TeamsClient;
  form: Record<string, string>;
  /** The outcome card the user pressed "Record" on (from the bot). */
  card: Card;
  key: string;
  result?: 'recorded' | 'not_saved';
  recordId?: string;
  /** The card returned (NOT SAVED cards are retried from it). */
  reply?: Card;
  storageUpWhenSent: boolean;
}

const keyOf = (card: Card) => {
  if (!card.actions?.some((a) => a.title === 'Record this decision'))
    throw new Error(`not an outcome card: ${cardText(card).slice(0, 400)}`);
  return String((findAction(card, 'Record this decision').data as { k: string }).k);
};

describe('robustness: storage goes away mid-run and comes back', () => {
  let location: string;
  let azurite: AzuriteHandle;
  let bot: BotHarness;

  before(async () => {
    location = mkdtempSync(path.join(os.tmpdir(), 'canshare-azurite-'));
    azurite = await startAzurite({ location });
    bot = await startBot({ LOG_LEVEL: 'fatal' }, { azurite });
  });
  after(async () => {
    await bot?.stop();
    await azurite?.stop();
    rmSync(location, { recursive: true, force: true });
  });

  it('loses nothing, duplicates nothing, and says NOT SAVED clearly', async () => {
    const { given, next } = pathAnswers(
      SHARE_WITHOUT_ASKING,
      Object.keys(pathAnswers(SHARE_WITHOUT_ASKING).given).length - 1,
    );
    assert.ok(next, 'one question left before the outcome');
    const clients = Array.from(
      { length: USERS },
      (_, i) => new TeamsClient(bot.baseUrl, newUser(`Fault User ${i}`), personalChat()),
    );

    let storageUp = true;
    let answered = 0;
    let faults = 0;
    let restartedAt = -1;
    const submissions: Submission[] = [];
    let outage: Promise<void> | undefined;

    /** The fault injector: stop storage after STOP_AFTER answers, bring it back DOWN_FOR answers later. */
    const maybeInjectFault = () => {
      if (outage) return;
      if (storageUp && answered >= STOP_AFTER && faults === 0) {
        storageUp = false;
        faults++;
        outage = azurite.stop().then(() => {
          outage = undefined;
        });
      } else if (!storageUp && answered >= STOP_AFTER + DOWN_FOR) {
        outage = startAzurite({ port: azurite.port, location }).then((again) => {
          azurite = again;
          storageUp = true;
          restartedAt = answered;
          faults++;
          outage = undefined;
        });
      }
    };

    await Promise.all(
      clients.map(async (client, u) => {
        // One questionnaire per user (its state comes from the bot); each submission re-answers its last question.
        const base = stateOf(cardOf((await client.say('start'))[0]!));
        for (let j = 0; j < PER_USER; j++) {
          const n = u * PER_USER + j;
          // The outcome card comes from the bot (answering the last question mints its idempotency key).
          const res = await client.execute('answer', { s: withAnswers(base, given), q: next.q, answer: next.answer });
          const card = res.value as Card;
          const form = { ...RECORD_FORM, caseReference: `FAULT-${String(n).padStart(3, '0')}` };
          const sub: Submission = { n, client, form, card, key: keyOf(card), storageUpWhenSent: storageUp };
          submissions.push(sub);
          const reply = await client.click(card, 'Record this decision', form);
          sub.reply = reply;
          const id = recordIdOf(reply);
          if (id) {
            sub.result = 'recorded';
            sub.recordId = id;
          } else {
            sub.result = 'not_saved';
            const text = cardText(reply);
            assert.match(
              text,
              /NOT SAVED/,
              `submission ${n}: a failure must say NOT SAVED, got: ${text.slice(0, 300)}`,
            );
            assert.match(text, /again/, `submission ${n}: and ask to try again`);
            assert.equal(keyOf(reply), sub.key, `submission ${n}: the NOT SAVED card keeps the idempotency key`);
            assert.ok(
              JSON.stringify(reply).includes(form.caseReference),
              `submission ${n}: the NOT SAVED card keeps what was typed`,
            );
          }
          answered++;
          maybeInjectFault();
          await outage;
          // Sequential-ish: a short pause between a user's submissions.
          await new Promise((r) => setTimeout(r, 20));
        }
      }),
    );
    await outage;
    if (!storageUp) {
      azurite = await startAzurite({ port: azurite.port, location });
      storageUp = true;
      faults++;
    }
    assert.equal(submissions.length, TOTAL);
    const recordedFirstTime = submissions.filter((s) => s.result === 'recorded');
    const notSaved = submissions.filter((s) => s.result === 'not_saved');
    assert.ok(notSaved.length > 0, 'the outage made some submissions fail (the fault was really injected)');
    assert.ok(
      notSaved.every((s) => !s.storageUpWhenSent || s.n >= 0),
      'sanity',
    );

    // Everything acknowledged before and during the outage survived the restart.
    const afterRestart = await census(azurite.connectionString, TENANT_A);
    for (const s of recordedFirstTime) {
      assert.equal(
        afterRestart.recordsByKey.get(s.key),
        1,
        `acknowledged submission ${s.n} (${s.recordId}) is stored exactly once`,
      );
      assert.ok(afterRestart.decidedBy.has(s.recordId!), `record ${s.recordId} is in the table`);
    }

    // Retry every NOT SAVED submission from the card it got back (same key, same inputs).
    let alreadyRecordedOnRetry = 0;
    for (const s of notSaved) {
      const retried = await s.client.click(s.reply!, 'Record this decision', s.form);
      const id = recordIdOf(retried);
      assert.ok(id, `retry of submission ${s.n}: ${cardText(retried).slice(0, 300)}`);
      if (/already been recorded/.test(cardText(retried))) alreadyRecordedOnRetry++;
      s.recordId = id;
    }

    const final = await census(azurite.connectionString, TENANT_A);
    let lost = 0;
    let duplicates = 0;
    for (const s of submissions) {
      const copies = final.recordsByKey.get(s.key) ?? 0;
      if (copies === 0 || !final.markerRowKeys.has(markerRowKeyOf(s.key))) lost++;
      if (copies > 1) duplicates += copies - 1;
      assert.ok(final.decidedBy.has(s.recordId!), `submission ${s.n}: its record id ${s.recordId} is in the table`);
      assert.equal(final.decidedBy.get(s.recordId!), s.client.user.aadObjectId);
    }
    assert.equal(lost, 0, 'records lost');
    assert.equal(duplicates, 0, 'duplicate records');
    assert.equal(final.records, TOTAL, 'one record per submission');
    assert.equal(final.markers, TOTAL, 'one idempotency marker per submission');
    assert.equal(new Set(submissions.map((s) => s.recordId)).size, TOTAL);
    console.log(
      `storage fault: ${TOTAL} submissions by ${USERS} users; faults injected ${faults} (stop after ${STOP_AFTER}, restart after ${restartedAt}); ` +
        `acknowledged first time ${recordedFirstTime.length}, NOT SAVED ${notSaved.length} (retried: ${notSaved.length - alreadyRecordedOnRetry} stored now, ` +
        `${alreadyRecordedOnRetry} had in fact been stored and said "already recorded"); records ${final.records}, markers ${final.markers}; lost ${lost}, duplicates ${duplicates}`,
    );
  });
});
