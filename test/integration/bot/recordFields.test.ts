/**
 * A complete record (issue 16 §1), over HTTP to the real server with records in a real Azurite:
 * the purpose of the sharing (pre-filled from the answers), the risk of not sharing / the reason
 * for not sharing, the decider's role, and the review date when the person is not told — each with
 * its required/optional rule and the contact-details check — and the recorded card's plain
 * "copy for case notes" text, which holds only what the record holds.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rulePack } from '../../../src/domain';
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
import { cardProblems } from '../../support/cardValidation';
import { oneAnswerSetPerRule } from '../../support/paths';
import { RECORD_FORM, SHARE_WITHOUT_ASKING, dayFromToday } from '../../support/scenarios';

/** Answers each question card from `answers` until the outcome card arrives. */
async function outcomeFor(client: TeamsClient, answers: Readonly<Record<string, string>>): Promise<Card> {
  let card = cardOf((await client.say('start'))[0]!);
  for (let i = 0; i < 40; i++) {
    const next = (card.actions ?? []).find((a) => a.title === 'Next');
    if (!next) return card;
    const q = String((next.data as { q: string }).q);
    assert.ok(answers[q], `the bot asked "${q}", which this case does not answer`);
    card = await client.click(card, 'Next', { answer: answers[q]! });
  }
  throw new Error('questionnaire did not end');
}

/** The input with this id anywhere on the card. */
function inputOf(card: unknown, id: string): Record<string, unknown> | undefined {
  if (Array.isArray(card)) {
    for (const n of card) {
      const found = inputOf(n, id);
      if (found) return found;
    }
  } else if (card && typeof card === 'object') {
    const o = card as Record<string, unknown>;
    if (o.id === id && typeof o.type === 'string' && o.type.startsWith('Input.')) return o;
    for (const v of Object.values(o)) {
      const found = inputOf(v, id);
      if (found) return found;
    }
  }
  return undefined;
}

const recordIdOf = (card: Card) => /Record id: \*\*(D-[A-Z0-9-]+)\*\*/.exec(cardText(card))?.[1];

const DO_NOT_SHARE = [...oneAnswerSetPerRule(rulePack).values()].find((o) => o.outcome.decision === 'do_not_share');

describe('a complete record: purpose, risk or reason for not sharing, decider’s role, review date, case notes', () => {
  let bot: BotHarness;
  before(async () => {
    bot = await startBot();
  });
  after(async () => {
    await bot?.stop();
  });

  const chat = (name = 'Sam Practitioner') => new TeamsClient(bot.baseUrl, newUser(name), personalChat());
  const casesOf = async (ref: string) => bot.app.stores.decisions.byCase(TENANT_A, ref);

  it('records the purpose (pre-filled from the answers), the risk of not sharing, the role and the review date', async () => {
    const client = chat();
    const outcome = await outcomeFor(client, SHARE_WITHOUT_ASKING);
    assert.deepEqual(cardProblems(outcome), []);
    // Significant harm was given as the grounds: the purpose is already chosen, and still editable.
    assert.equal(inputOf(outcome, 'purpose')?.value, 'safeguarding_child');
    assert.equal(inputOf(outcome, 'purpose')?.type, 'Input.ChoiceSet');
    assert.ok(inputOf(outcome, 'riskOfNotSharing'), 'a share without consent asks the risk of not sharing');
    assert.equal(inputOf(outcome, 'reasonForNotSharing'), undefined, 'a share does not ask why not');
    const review = inputOf(outcome, 'reviewBy')!;
    assert.equal(review.type, 'Input.Date');
    assert.equal(review.min, dayFromToday(0));
    assert.equal(review.max, dayFromToday(90));
    for (const id of ['purpose', 'purposeDetail', 'riskOfNotSharing', 'deciderRole', 'reviewBy'])
      assert.ok(String(inputOf(outcome, id)?.label ?? '').trim(), `${id} has a label`);

    const form = {
      ...RECORD_FORM,
      caseReference: 'CSC-FIELDS-1',
      purposeDetail: 'referral after disclosure at school',
      deciderRole: 'teacher',
    };
    const recorded = await client.click(outcome, 'Record this decision', form);
    const id = recordIdOf(recorded);
    assert.ok(id, cardText(recorded));
    const stored = await bot.app.stores.decisions.get(TENANT_A, id);
    assert.ok(stored);
    assert.equal(stored.purpose, 'safeguarding_child');
    assert.equal(stored.purposeDetail, 'referral after disclosure at school');
    assert.equal(stored.riskOfNotSharing, RECORD_FORM.riskOfNotSharing);
    assert.equal(stored.reasonForNotSharing, undefined);
    assert.equal(stored.deciderRole, 'teacher');
    assert.equal(stored.reviewBy, RECORD_FORM.reviewBy);
    const text = cardText(recorded);
    assert.match(text, /Safeguarding a child at risk of harm/);
    assert.match(text, /Teacher/);
    assert.match(text, new RegExp(`Review by\\n${RECORD_FORM.reviewBy}`));
  });

  it('a share without consent is not recorded without the risk of not sharing', async () => {
    const client = chat();
    const outcome = await outcomeFor(client, SHARE_WITHOUT_ASKING);
    const refused = await client.click(outcome, 'Record this decision', {
      ...RECORD_FORM,
      caseReference: 'CSC-FIELDS-NORISK',
      riskOfNotSharing: '  ',
    });
    assert.match(cardText(refused), /Not recorded yet/);
    assert.match(cardText(refused), /Risk of not sharing: say what the risk would be/);
    assert.equal((await casesOf('CSC-FIELDS-NORISK')).length, 0);
  });

  it('the review date is required when the person is not told, and must be from today to 90 days ahead', async () => {
    const client = chat();
    const outcome = await outcomeFor(client, SHARE_WITHOUT_ASKING);
    const tries: Array<[string, Record<string, string>, RegExp]> = [
      ['missing', { reviewBy: '' }, /Review date: say when not telling the person will be reviewed/],
      ['yesterday', { reviewBy: dayFromToday(-1) }, /Review date: choose a date from today to 90 days ahead/],
      ['91 days ahead', { reviewBy: dayFromToday(91) }, /Review date: choose a date from today to 90 days ahead/],
      ['not a date', { reviewBy: '2026-02-30' }, /Review date: use a real date/],
      [
        'not told ever, no date',
        {
          subjectInformed: 'not_informing',
          subjectNotInformedReason: 'Telling them would put the child at risk.',
          reviewBy: '',
        },
        /Review date: say when/,
      ],
    ];
    for (const [name, change, problem] of tries) {
      const ref = `CSC-REVIEW-${name.replace(/\W+/g, '-').toUpperCase()}`.slice(0, 40);
      const refused = await client.click(outcome, 'Record this decision', {
        ...RECORD_FORM,
        caseReference: ref,
        ...change,
      });
      assert.match(cardText(refused), problem, name);
      assert.equal((await casesOf(ref)).length, 0, `${name}: nothing recorded`);
      // What was typed is kept on the card, so nothing is lost.
      assert.equal(inputOf(refused, 'caseReference')?.value, ref);
    }
    // Told already: no review date is needed, and none is stored.
    const told = await client.click(outcome, 'Record this decision', {
      ...RECORD_FORM,
      caseReference: 'CSC-REVIEW-TOLD',
      subjectInformed: 'yes',
      reviewBy: '',
    });
    const stored = await bot.app.stores.decisions.get(TENANT_A, recordIdOf(told)!);
    assert.equal(stored?.subjectInformed, 'yes');
    assert.equal(stored?.reviewBy, undefined);
    // Today and 90 days ahead are both accepted.
    for (const [ref, day] of [
      ['CSC-REVIEW-TODAY', 0],
      ['CSC-REVIEW-90', 90],
    ] as const) {
      const fresh = await outcomeFor(client, SHARE_WITHOUT_ASKING);
      const ok = await client.click(fresh, 'Record this decision', {
        ...RECORD_FORM,
        caseReference: ref,
        reviewBy: dayFromToday(day),
      });
      assert.equal((await bot.app.stores.decisions.get(TENANT_A, recordIdOf(ok)!))?.reviewBy, dayFromToday(day), ref);
    }
  });

  it('the purpose and the role are optional, but "other" needs a few words; codes not on the lists are refused', async () => {
    const client = chat();
    const outcome = await outcomeFor(client, SHARE_WITHOUT_ASKING);
    const other = await client.click(outcome, 'Record this decision', {
      ...RECORD_FORM,
      caseReference: 'CSC-PURPOSE-OTHER',
      purpose: 'other',
      purposeDetail: '',
    });
    assert.match(cardText(other), /Purpose: say in a few words what the purpose is/);
    const forgedPurpose = await client.click(outcome, 'Record this decision', {
      ...RECORD_FORM,
      caseReference: 'CSC-PURPOSE-FORGED',
      purpose: 'curiosity',
    });
    assert.match(cardText(forgedPurpose), /Purpose: choose one of the options/);
    const forgedRole = await client.click(outcome, 'Record this decision', {
      ...RECORD_FORM,
      caseReference: 'CSC-ROLE-FORGED',
      deciderRole: 'Jane Smith',
    });
    assert.match(cardText(forgedRole), /Your role: choose one of the options/);
    for (const ref of ['CSC-PURPOSE-OTHER', 'CSC-PURPOSE-FORGED', 'CSC-ROLE-FORGED'])
      assert.equal((await casesOf(ref)).length, 0, ref);

    const blank = await client.click(outcome, 'Record this decision', {
      ...RECORD_FORM,
      caseReference: 'CSC-PURPOSE-BLANK',
      purpose: '',
      deciderRole: '',
    });
    const stored = await bot.app.stores.decisions.get(TENANT_A, recordIdOf(blank)!);
    assert.ok(stored, cardText(blank));
    assert.equal(stored.purpose, undefined);
    assert.equal(stored.deciderRole, undefined);
  });

  it('refuses contact details in the purpose and in the risk of not sharing, and keeps what was typed', async () => {
    const client = chat();
    const outcome = await outcomeFor(client, SHARE_WITHOUT_ASKING);
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      [
        'CSC-PII-PURPOSE',
        { purpose: 'other', purposeDetail: 'ring mum on 07700 900123' },
        /Purpose: remove the phone number/,
      ],
      [
        'CSC-PII-RISK',
        { riskOfNotSharing: 'email dad at dad@example.com first' },
        /Risk of not sharing: remove the email address/,
      ],
    ];
    for (const [ref, change, problem] of cases) {
      const refused = await client.click(outcome, 'Record this decision', {
        ...RECORD_FORM,
        caseReference: ref,
        ...change,
      });
      assert.match(cardText(refused), problem, ref);
      assert.equal((await casesOf(ref)).length, 0, ref);
    }
  });

  it('a decision not to share requires the reason for not sharing, and records it as its own field', async () => {
    assert.ok(DO_NOT_SHARE, 'some case ends in "do not share"');
    const client = chat();
    const outcome = await outcomeFor(client, DO_NOT_SHARE.answers as Record<string, string>);
    const reason = inputOf(outcome, 'reasonForNotSharing');
    assert.ok(reason, 'the form asks why not');
    assert.equal(reason.isRequired, true);
    assert.equal(inputOf(outcome, 'riskOfNotSharing'), undefined);
    const base = {
      caseReference: 'CSC-NOSHARE-1',
      consentStatus: 'sought_refused',
      subjectInformed: 'not_applicable',
      deciderRole: 'social_worker',
    };
    const refused = await client.click(outcome, 'Record this decision', { ...base, reasonForNotSharing: '' });
    assert.match(cardText(refused), /Reason for not sharing: say why it is not shared/);
    assert.equal((await casesOf('CSC-NOSHARE-1')).length, 0);
    const pii = await client.click(outcome, 'Record this decision', {
      ...base,
      reasonForNotSharing: 'they asked us to call 020 7946 0018 instead',
    });
    assert.match(cardText(pii), /Reason for not sharing: remove the/);
    assert.equal((await casesOf('CSC-NOSHARE-1')).length, 0);
    const recorded = await client.click(outcome, 'Record this decision', {
      ...base,
      reasonForNotSharing: 'The concern does not reach the threshold for sharing without consent.',
    });
    const stored = await bot.app.stores.decisions.get(TENANT_A, recordIdOf(recorded)!);
    assert.equal(stored?.decision, 'do_not_share');
    assert.equal(stored?.reasonForNotSharing, 'The concern does not reach the threshold for sharing without consent.');
    assert.equal(stored?.riskOfNotSharing, undefined);
  });

  it('the recorded card gives a plain case-notes text: the decision, its reasons, citations and record id, and only what was recorded', async () => {
    const client = chat('Robin Named-Practitioner');
    const outcome = await outcomeFor(client, SHARE_WITHOUT_ASKING);
    // A stray input that is not part of the record (a tampered or extended card) must not reach the notes.
    const form = { ...RECORD_FORM, caseReference: 'CSC-NOTES-1', strayNote: 'Jane Smith at 12 High Street' };
    const recorded = await client.click(outcome, 'Record this decision', form);
    assert.deepEqual(cardProblems(recorded), []);
    assert.ok(Buffer.byteLength(JSON.stringify(recorded)) < 20_000, 'well under the Teams message size limit');
    const id = recordIdOf(recorded)!;
    const stored = (await bot.app.stores.decisions.get(TENANT_A, id))!;
    const notes = inputOf(recorded, 'caseNotes');
    assert.ok(notes, 'the recorded card has the case-notes text');
    assert.equal(notes.isMultiline, true);
    assert.match(String(notes.label), /case notes/i);
    const lines = String(notes.value).split('\n');
    assert.match(lines[0]!, new RegExp(`record ${id} \\(recorded \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC\\)$`));
    assert.ok(lines.includes('Case reference: CSC-NOTES-1'));
    assert.ok(
      lines.some((l) => /^Decision: .*without consent/i.test(l)),
      'the decision',
    );
    assert.ok(lines.includes('Why:'));
    assert.ok(lines.filter((l) => l.startsWith('- ') && /\(§\d/.test(l)).length >= 1, 'reasons with their citations');
    assert.ok(
      lines.some((l) => l.startsWith('Guidance: ') && l.includes(stored.ruleId) && l.includes(stored.rulePackVersion)),
    );
    // Each typed value in the notes is the recorded one; nothing else typed appears, and no name.
    const typed: Record<string, string | undefined> = {
      'Reasons for sharing without consent': stored.reasonsWithoutConsent,
      'Risk if not shared': stored.riskOfNotSharing,
      'What, in outline': stored.informationOutline,
      'Review by': stored.reviewBy,
    };
    for (const [label, value] of Object.entries(typed))
      assert.ok(lines.includes(`${label}: ${value}`), `${label} as recorded`);
    const all = lines.join('\n');
    assert.doesNotMatch(all, /Jane Smith|High Street/, 'an input the record does not hold is not in the notes');
    assert.doesNotMatch(all, /Robin|Named-Practitioner/, 'the practitioner’s name is not in the notes');
    assert.ok(!all.includes(client.user.aadObjectId), 'nor their Entra id');
    assert.ok(all.includes('Decided by (role): Designated safeguarding lead'));
    // The notes are never sent back: every button on the card leaves the inputs out.
    for (const action of recorded.actions ?? []) assert.equal(action.associatedInputs, 'none', String(action.title));
    assert.equal((findAction(recorded, 'Correct this record').data as { r: string }).r, id);
  });
});
