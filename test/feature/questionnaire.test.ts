/**
 * The questionnaire card flow on in-memory stores: start → answer → Back → a different answer →
 * outcome → record, the record read back from the store, a double submit recorded once, and a
 * superseded card refused. (The same flow on Azurite: test/integration/bot/questionnaire.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TENANT_A, TeamsClient, cardOf, cardText, findAction, newUser, personalChat } from '../support/botHarness';
import { RECORD_FORM, SHARE_WITHOUT_ASKING, answerFor } from '../support/scenarios';
import { answerAll, recordedId, say, startFeatureBot, type FeatureBot } from './support';
import { StorageUnavailableError } from '../../src/storage/contract';

describe('feature: questionnaire → outcome → record', () => {
  let bot: FeatureBot;
  before(async () => {
    bot = await startFeatureBot();
  });
  after(() => bot?.stop());

  it('walks start → answer → Back → answer again → outcome → record, and stores exactly what was answered', async () => {
    const user = newUser('Sam Practitioner');
    const client = new TeamsClient(bot.baseUrl, user, personalChat());
    const welcome = await say(client, 'hello');
    const q1 = await client.click(welcome, 'Start: can I share?');
    assert.match(cardText(q1), /question 1 of at most/);
    // The start made this the user's current questionnaire.
    const current = await bot.stores.sessions.current(TENANT_A, user.aadObjectId);
    assert.ok(current?.sessionId);

    const q2 = await client.click(q1, 'Next', { answer: 'sharing_out' });
    const q3 = await client.click(q2, 'Next', { answer: 'child_health_development_harm' });
    const back = await client.click(q3, 'Back');
    assert.deepEqual(findAction(back, 'Next').data, findAction(q2, 'Next').data, 'Back shows question 2 again');

    const { card: outcome, asked } = await answerAll(client, back, SHARE_WITHOUT_ASKING);
    assert.match(cardText(outcome), /without consent/i);
    assert.match(cardText(outcome), /§\d/);

    const recorded = await client.click(outcome, 'Record this decision', RECORD_FORM);
    assert.match(cardText(recorded), /Decision recorded/);
    const id = recordedId(recorded);
    const stored = await bot.stores.decisions.get(TENANT_A, id);
    assert.ok(stored);
    assert.equal(stored.kind, 'decision');
    assert.equal(stored.decision, 'share_without_consent_justified');
    assert.equal(stored.consentStatus, 'not_sought');
    assert.equal(stored.reasonsWithoutConsent, RECORD_FORM.reasonsWithoutConsent);
    assert.equal(stored.caseReference, 'CSC-2026-0042');
    assert.equal(stored.decidedBy.aadObjectId, user.aadObjectId);
    assert.deepEqual(stored.answers, Object.fromEntries(['route', ...asked].map((q) => [q, answerFor(q)])));
    assert.deepEqual(
      (await bot.stores.decisions.byCase(TENANT_A, 'csc-2026-0042')).map((r) => r.id),
      [id],
    );

    // A double click on the same card records nothing more and shows the same record.
    const again = await client.click(outcome, 'Record this decision', RECORD_FORM);
    assert.equal(recordedId(again), id);
    assert.equal((await bot.stores.decisions.byCase(TENANT_A, 'CSC-2026-0042')).length, 1);
  });

  it('a record form with a phone number in it is refused and nothing is stored', async () => {
    const client = new TeamsClient(bot.baseUrl, newUser(), personalChat());
    const { card: outcome } = await answerAll(client, await say(client, 'start'), SHARE_WITHOUT_ASKING);
    const refused = await client.click(outcome, 'Record this decision', {
      ...RECORD_FORM,
      informationOutline: 'call mum on 07700 900123',
      caseReference: 'CSC-FEAT-PII',
    });
    assert.match(cardText(refused), /remove the phone number/);
    assert.deepEqual(await bot.stores.decisions.byCase(TENANT_A, 'CSC-FEAT-PII'), []);
  });

  it('a card superseded by a newer questionnaire can never be recorded', async () => {
    const client = new TeamsClient(bot.baseUrl, newUser(), personalChat());
    const first = await client.click(cardOf((await client.say('hello'))[0]!), 'Start: can I share?');
    const second = await client.click(cardOf((await client.say('hello'))[0]!), 'Start: can I share?');
    const { card: stale } = await answerAll(client, first, SHARE_WITHOUT_ASKING);
    const refused = await client.click(stale, 'Record this decision', {
      ...RECORD_FORM,
      caseReference: 'CSC-FEAT-STALE',
    });
    assert.match(cardText(refused), /newer questionnaire/);
    assert.deepEqual(await bot.stores.decisions.byCase(TENANT_A, 'CSC-FEAT-STALE'), []);
    const { card: fresh } = await answerAll(client, second, SHARE_WITHOUT_ASKING);
    assert.match(
      cardText(await client.click(fresh, 'Record this decision', { ...RECORD_FORM, caseReference: 'CSC-FEAT-STALE' })),
      /Decision recorded/,
    );
    assert.equal((await bot.stores.decisions.byCase(TENANT_A, 'CSC-FEAT-STALE')).length, 1);
  });
  it('records the new fields, and corrects the record with a linked correction that leaves the original as it was', async () => {
    const user = newUser();
    const client = new TeamsClient(bot.baseUrl, user, personalChat());
    const { card: outcome } = await answerAll(client, await say(client, 'start'), SHARE_WITHOUT_ASKING);
    const recorded = await client.click(outcome, 'Record this decision', {
      ...RECORD_FORM,
      caseReference: 'CSC-FEAT-CORR',
    });
    const id = recordedId(recorded);
    const original = await bot.stores.decisions.get(TENANT_A, id);
    assert.equal(original?.purpose, 'safeguarding_child');
    assert.equal(original?.deciderRole, 'designated_safeguarding_lead');
    assert.equal(original?.reviewBy, RECORD_FORM.reviewBy);

    const form = await client.click(recorded, 'Correct this record');
    const done = await client.click(form, 'Add this correction', {
      consentStatus: 'not_sought',
      subjectInformed: 'will_inform',
      reviewBy: RECORD_FORM.reviewBy!,
      riskOfNotSharing: RECORD_FORM.riskOfNotSharing!,
      reasonsWithoutConsent: RECORD_FORM.reasonsWithoutConsent!,
      recipientAgency: 'childrens_social_care',
      recipientRole: 'duty social worker',
      channel: 'secure_system',
      informationOutline: RECORD_FORM.informationOutline!,
      purpose: 'safeguarding_child',
      deciderRole: 'social_worker',
      correctionReason: 'I chose the wrong role.',
    });
    assert.match(cardText(done), /Correction recorded/);
    const history = await bot.stores.decisions.byCase(TENANT_A, 'CSC-FEAT-CORR');
    assert.deepEqual(
      history.map((r) => r.kind),
      ['correction', 'decision'],
    );
    assert.deepEqual(history[0]!.correctedFields, ['deciderRole']);
    assert.equal(history[0]!.parentId, id);
    assert.deepEqual(history[1], original);

    // The store unreachable while reading: NOT SAVED, as a message (the form and its text stay), nothing written.
    const again = await client.click(recorded, 'Correct this record');
    const byCase = bot.stores.decisions.byCase.bind(bot.stores.decisions);
    bot.stores.decisions.byCase = async () => {
      throw new StorageUnavailableError('simulated outage');
    };
    try {
      const action = findAction(again, 'Add this correction');
      const res = await client.execute(String(action.verb), {
        ...(action.data as Record<string, unknown>),
        consentStatus: 'not_sought',
        subjectInformed: 'yes',
        correctionReason: 'Told them.',
      });
      assert.equal(res.type, 'application/vnd.microsoft.activity.message');
      assert.match(String(res.value), /^NOT SAVED/);
    } finally {
      bot.stores.decisions.byCase = byCase;
    }
    assert.equal((await bot.stores.decisions.byCase(TENANT_A, 'CSC-FEAT-CORR')).length, 2);
  });
});
