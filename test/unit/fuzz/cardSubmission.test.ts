/**
 * Property tests (fast-check, small run counts) over what arrives from a card: the submission
 * schemas in questionnaire/state.ts, validateRecordForm in questionnaire/recordForm.ts, and the
 * engine behind them.
 *
 *  - random objects never crash a schema, the engine or the form check: they are refused
 *    (safeParse failure / InvalidAnswersError / form problems) or give a valid result;
 *  - random honest walks, with the state round-tripped through JSON and the card schemas at every
 *    step exactly as the bot does (and random "Back" presses), always end in an outcome;
 *  - the record form never accepts free text holding an email address or a phone number.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvalidAnswersError, back, evaluate, rulePack, RULE_PACK_VERSION, type Outcome } from '../../../src/domain';
import {
  AnswerSubmissionSchema,
  QuestionnaireStateSchema,
  RecordFormInputSchema,
  RecordSubmissionSchema,
  StateOnlySubmissionSchema,
} from '../../../src/bot/features/questionnaire/state';
import { validateRecordForm } from '../../../src/bot/features/questionnaire/recordForm';
import { dayFromToday } from '../../support/scenarios';
import { CASES } from '../domain/practitionerCases';

const RUNS = 300;
const questionIds = rulePack.questions.map((q) => q.id);
const allCodes = [...new Set(rulePack.questions.flatMap((q) => q.options.map((o) => o.code)))];

/** Keys an attacker might try: real ids, prototype names, junk. */
const keyArb = fc.oneof(
  fc.constantFrom(...questionIds),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', ''),
  fc.string({ maxLength: 70 }),
);
const codeArb = fc.oneof(fc.constantFrom(...allCodes), fc.string({ maxLength: 70 }));
const answersArb = fc.oneof(
  fc.dictionary(keyArb, codeArb, { maxKeys: 20 }),
  fc.dictionary(fc.constantFrom(...questionIds), fc.constantFrom(...allCodes), { maxKeys: questionIds.length }),
  fc.anything(),
);
const stateArb = fc.record(
  {
    v: fc.oneof(fc.constant(RULE_PACK_VERSION), fc.string({ maxLength: 50 }), fc.anything()),
    a: answersArb,
    o: fc.oneof(fc.uuid(), fc.string({ maxLength: 80 })),
    i: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })),
  },
  { requiredKeys: [] },
);
const submissionArb = fc.oneof(
  fc.anything(),
  fc.record({ s: stateArb, q: codeArb, answer: codeArb, k: fc.oneof(fc.uuid(), fc.string()) }, { requiredKeys: [] }),
);

/** Valid record-form values for an outcome (everything a demanding outcome could ask for). */
function validForm(outcome: Outcome): Record<string, string> {
  return {
    caseReference: 'CS-2026/0042',
    consentStatus: outcome.consentStatus,
    reasonsWithoutConsent: 'Asking would put the child at risk of significant harm.',
    recipientAgency: 'childrens_social_care',
    recipientRole: 'duty social worker',
    channel: outcome.channel ?? 'secure_system',
    informationOutline: 'The disclosure made today, in outline.',
    subjectInformed: 'yes',
    subjectNotInformedReason: '',
    purpose: 'safeguarding_child',
    purposeDetail: 'referral after a disclosure',
    riskOfNotSharing: 'The child would stay at risk of significant harm.',
    reasonForNotSharing: 'The concern does not reach the threshold.',
    deciderRole: 'designated_safeguarding_lead',
    reviewBy: dayFromToday(30),
  };
}

const outcomes: Outcome[] = CASES.map((c) => {
  const r = evaluate(rulePack, c.answers);
  assert.equal(r.kind, 'outcome', c.name);
  return (r as { outcome: Outcome }).outcome;
});

/** Only the documented refusal may escape the engine. */
function engineOrRefusal<T>(fn: () => T): T | 'refused' {
  try {
    return fn();
  } catch (err) {
    assert.ok(err instanceof InvalidAnswersError, `unexpected ${(err as Error)?.name}: ${(err as Error)?.message}`);
    return 'refused';
  }
}

describe('fuzz: card submissions and the engine', () => {
  it('the submission schemas never throw on arbitrary input, and what they accept is well-formed', () => {
    fc.assert(
      fc.property(submissionArb, (data) => {
        for (const schema of [
          AnswerSubmissionSchema,
          StateOnlySubmissionSchema,
          RecordSubmissionSchema,
          RecordFormInputSchema,
        ]) {
          const parsed = schema.safeParse(data);
          if (!parsed.success) continue;
          if ('s' in parsed.data) {
            const s = parsed.data.s as { a: Record<string, string> };
            assert.ok(Object.keys(s.a).length <= 60);
            for (const [k, v] of Object.entries(s.a)) {
              assert.match(k, /^[a-z0-9_.-]{1,64}$/i);
              assert.match(v, /^[a-z0-9_.-]{1,64}$/i);
            }
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('random answers give InvalidAnswersError or a valid engine result (evaluate and back), never a crash', () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        const result = engineOrRefusal(() => evaluate(rulePack, answers as Record<string, string>));
        if (result !== 'refused') {
          if (result.kind === 'question') {
            assert.ok(questionIds.includes(result.question.id));
            assert.ok(result.progress.step >= 1 && result.progress.step <= result.progress.total);
            assert.ok(!Object.hasOwn(result.answers, result.question.id));
          } else {
            assert.ok(result.outcome.ruleId);
            assert.ok(result.outcome.safetyLines.length > 0);
          }
        }
        const earlier = engineOrRefusal(() => back(rulePack, answers as Record<string, string>));
        if (earlier !== 'refused')
          assert.equal(
            engineOrRefusal(() => evaluate(rulePack, earlier)) === 'refused',
            false,
            'back() gives answers the engine accepts',
          );
      }),
      { numRuns: RUNS },
    );
  });

  it('random honest walks through the card schemas (with random Back presses) always end in an outcome', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 80, maxLength: 80 }),
        fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
        (choices, backs) => {
          const owner = randomUUID();
          let s: unknown = { v: RULE_PACK_VERSION, a: {}, o: owner, i: randomUUID() };
          for (let step = 0; step < 80; step++) {
            // What the card carries comes back as JSON and is re-parsed, as on every click.
            const state = QuestionnaireStateSchema.parse(JSON.parse(JSON.stringify(s)));
            const result = evaluate(rulePack, state.a);
            if (result.kind === 'outcome') {
              const sub = RecordSubmissionSchema.safeParse({ s: state, k: randomUUID() });
              assert.ok(sub.success, 'the outcome card’s record data parses');
              return;
            }
            if (backs[step] && step % 3 === 0 && Object.keys(state.a).length > 0) {
              assert.ok(StateOnlySubmissionSchema.safeParse({ s: state }).success);
              const earlier = back(rulePack, state.a);
              assert.equal(Object.keys(earlier).length, Object.keys(state.a).length - 1);
              s = { ...state, a: { ...earlier } };
              continue;
            }
            const options = result.question.options;
            const pick = options[choices[step]! % options.length]!;
            const submitted = AnswerSubmissionSchema.parse({ s: state, q: result.question.id, answer: pick.code });
            s = { ...submitted.s, a: { ...submitted.s.a, [submitted.q]: submitted.answer } };
          }
          assert.fail('no outcome within 80 clicks');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('validateRecordForm never throws on arbitrary string inputs', () => {
    const fields = [
      'caseReference',
      'consentStatus',
      'reasonsWithoutConsent',
      'recipientAgency',
      'recipientRole',
      'channel',
      'informationOutline',
      'subjectInformed',
      'subjectNotInformedReason',
      'purpose',
      'purposeDetail',
      'riskOfNotSharing',
      'reasonForNotSharing',
      'deciderRole',
      'reviewBy',
    ];
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...fields), fc.string({ maxLength: 1200 })),
        fc.nat(outcomes.length - 1),
        (input, o) => {
          const result = validateRecordForm(RecordFormInputSchema.parse(input), outcomes[o]!);
          if (!result.ok)
            assert.ok(
              result.problems.length > 0 && result.problems.every((p) => typeof p === 'string' && p.length > 0),
            );
        },
      ),
      { numRuns: RUNS },
    );
  });

  const FREE_TEXT = [
    'reasonsWithoutConsent',
    'recipientRole',
    'informationOutline',
    'subjectNotInformedReason',
    'purposeDetail',
    'riskOfNotSharing',
    'reasonForNotSharing',
  ] as const;
  const filler = fc.string({ maxLength: 30 }).map((s) => s.replace(/[@\d]/g, 'x'));
  /**
   * A phone number as people type it: 10–16 digits starting with 0 (or 8 or more after a "+") in groups of 3–5, ASCII
   * or full-width, with the separators people use: "07700 900123", "(01632) 960123", "+44 7700-900-123".
   * (Groups of three or more digits are never read as a date or a time, which the check allows.)
   */
  const digitRun = fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 16 }),
      fc.array(fc.integer({ min: 3, max: 5 }), { minLength: 6, maxLength: 6 }),
      fc.array(fc.constantFrom('', ' ', '-', '  ', ') ', ' (', '.', '/', ' - '), { minLength: 6, maxLength: 6 }),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([digits, sizes, seps, plusWanted, fullWidth]) => {
      const plus = plusWanted || digits.length < 10;
      // A national number starts with 0 (digits glued to letters otherwise read as an identifier, "CR-2026-001234").
      if (!plus) digits[0] = 0;
      const digit = (d: number) => (fullWidth ? String.fromCharCode(0xff10 + d) : String(d));
      const groups: string[] = [];
      for (let at = 0, g = 0; at < digits.length; g++) {
        // The last group takes what is left when fewer than 3 digits would remain after it.
        const size = digits.length - at - sizes[g % sizes.length]! < 3 ? digits.length - at : sizes[g % sizes.length]!;
        groups.push(
          digits
            .slice(at, at + size)
            .map(digit)
            .join(''),
        );
        at += size;
      }
      return (
        (plus ? '+' : '') +
        groups.map((group, i) => `${group}${i < groups.length - 1 ? seps[i % seps.length] : ''}`).join('')
      );
    });
  const email = fc
    .tuple(fc.emailAddress(), fc.boolean())
    .map(([e, fullWidth]) => (fullWidth ? e.replace('@', '＠') : e));
  const contact = fc.oneof(email, digitRun);

  it('the base form is accepted for every practitioner case (so the refusals below are down to the contact details)', () => {
    outcomes.forEach((o, i) => {
      const form = {
        ...validForm(o),
        subjectInformed: 'not_informing',
        subjectNotInformedReason: 'Telling them would put the child at risk.',
      };
      const r = validateRecordForm(form, o);
      assert.ok(r.ok, `${CASES[i]!.name}: ${r.ok ? '' : r.problems.join(' ')}`);
    });
  });

  it('the record form never accepts free text holding an email address or a phone number', () => {
    fc.assert(
      fc.property(
        fc.nat(outcomes.length - 1),
        fc.constantFrom(...FREE_TEXT),
        filler,
        contact,
        filler,
        (o, field, before, bad, after) => {
          const outcome = outcomes[o]!;
          const form: Record<string, string> = {
            ...validForm(outcome),
            subjectInformed: 'not_informing',
            subjectNotInformedReason: 'Telling them would put the child at risk.',
          };
          form[field] = `${before}${bad}${after}`;
          const result = validateRecordForm(form, outcome);
          assert.equal(result.ok, false, `accepted ${field} = ${JSON.stringify(form[field])}`);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
