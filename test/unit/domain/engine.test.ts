/** The engine: question walking, progress, tamper checks, back(), determinism, and domain purity. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  back,
  evaluate,
  InvalidAnswersError,
  RECIPIENT_CODES,
  rulePack,
  RULE_PACK_VERSION,
  SAFETY_LINES,
  type Answers,
  type EngineResult,
} from '../../../src/domain';
// Internal to the domain, tested directly: the answer check every engine call runs, and two helpers
// no card uses yet (marked @internal, so knip --production does not count them as the app's API).
import { answerQuestion, describeAnswers } from '../../../src/domain/engine';
import { validateAnswers } from '../../../src/domain/path';
import { CASES } from './practitionerCases';

function asQuestion(result: EngineResult) {
  assert.equal(result.kind, 'question');
  return result as Extract<EngineResult, { kind: 'question' }>;
}

function assertInvalid(answers: unknown, questionId: string | undefined, message: RegExp) {
  assert.throws(
    () => evaluate(rulePack, answers as Answers),
    (err: unknown) => {
      assert.ok(err instanceof InvalidAnswersError);
      assert.equal(err.name, 'InvalidAnswersError');
      assert.equal(err.questionId, questionId);
      assert.match(err.message, message);
      return true;
    },
  );
}

const CONSENT_GIVEN = CASES.find(
  (c) => c.ruleId === 'share-with-consent' && c.answers.consent === 'given' && c.answers.channel !== undefined,
);
assert.ok(CONSENT_GIVEN);

describe('evaluate: walking the questions', () => {
  it('starts with the route question at step 1', () => {
    const first = asQuestion(evaluate(rulePack, {}));
    assert.equal(first.question.id, 'route');
    assert.equal(first.progress.step, 1);
    assert.ok(first.progress.total >= 1);
    assert.deepEqual(first.answers, {});
    assert.ok(first.question.citations.length >= 1);
  });

  it('skips questions whose askWhen does not hold (SAR goes straight to origin, then decides)', () => {
    const next = asQuestion(evaluate(rulePack, { route: 'subject_access_request' }));
    assert.equal(next.question.id, 'originated_elsewhere');
    assert.deepEqual(next.progress, { phase: 'decide', step: 2, total: 2 });
  });

  it('asks whether a phone caller is verified only when responding by phone, after the answer', () => {
    const decided = {
      route: 'responding_to_request',
      about: 'child_health_development_harm',
      exception: 'not_confidential',
    };
    const channel = asQuestion(evaluate(rulePack, decided));
    assert.equal(channel.question.id, 'channel');
    assert.equal(channel.progress.phase, 'tailor');
    assert.equal(channel.answer?.ruleId, 'share-not-confidential');
    const responding = asQuestion(evaluate(rulePack, { ...decided, channel: 'phone' }));
    assert.equal(responding.question.id, 'caller_verified');
    const emailing = asQuestion(evaluate(rulePack, { ...decided, channel: 'email' }));
    assert.equal(emailing.question.id, 'recipient');
    const sharing = asQuestion(evaluate(rulePack, { ...decided, route: 'sharing_out', channel: 'phone' }));
    assert.equal(sharing.question.id, 'recipient');
  });

  it('asks how, with whom and whether named only once the answer is known, and shows the answer meanwhile', () => {
    const answers: Record<string, string> = {};
    let answerSeen = false;
    for (const { questionId: id, code } of describeAnswers(rulePack, CONSENT_GIVEN.answers)) {
      const result = asQuestion(evaluate(rulePack, answers));
      const tailoring = [
        'channel',
        'caller_verified',
        'recipient',
        'anonymous',
        'sensitive',
        'consent_in_writing',
        'checks_purpose',
      ].includes(id);
      assert.equal(result.progress.phase, tailoring ? 'tailor' : 'decide', id);
      assert.equal(result.answer !== undefined, tailoring, id);
      if (result.answer) assert.equal(result.answer.ruleId, CONSENT_GIVEN.ruleId);
      answerSeen ||= tailoring;
      answers[id] = code;
    }
    assert.ok(answerSeen);
  });

  it('progress is 1 ≤ step ≤ total within each phase along a whole path, and the total never grows', () => {
    for (const c of CASES) {
      const answers: Record<string, string> = {};
      let last: { phase: string; total: number } | undefined;
      const counted = { decide: 0, tailor: 0 };
      for (const { questionId: id, code } of describeAnswers(rulePack, c.answers)) {
        const result = asQuestion(evaluate(rulePack, answers));
        assert.equal(result.question.id, id);
        const { phase, step, total } = result.progress;
        assert.equal(step, counted[phase] + 1, c.name);
        assert.ok(step >= 1 && step <= total, `${c.name}: ${step}/${total}`);
        if (last?.phase === phase)
          assert.ok(total <= last.total, `${c.name}: total grew from ${last.total} to ${total}`);
        last = { phase, total };
        counted[phase]++;
        answers[id] = code;
      }
      assert.equal(evaluate(rulePack, answers).kind, 'outcome');
    }
  });

  it('returns the validated answers with the result', () => {
    const result = evaluate(rulePack, CONSENT_GIVEN.answers);
    assert.deepEqual({ ...result.answers }, CONSENT_GIVEN.answers);
    assert.ok(Object.isFrozen(result.answers));
  });
});

describe('evaluate: outcomes', () => {
  it('every outcome carries both safety lines', () => {
    assert.equal(SAFETY_LINES[0], 'If a child is in immediate danger, call 999.');
    assert.match(SAFETY_LINES[1] ?? '', /decision support/);
    assert.match(SAFETY_LINES[1] ?? '', /manager/);
    assert.match(SAFETY_LINES[1] ?? '', /legal adviser/);
    assert.match(SAFETY_LINES[1] ?? '', /Caldicott Guardian/);
    for (const c of CASES) {
      const result = evaluate(rulePack, c.answers);
      assert.ok(result.kind === 'outcome');
      assert.deepEqual(result.outcome.safetyLines, [...SAFETY_LINES]);
    }
  });

  it('citations are deduplicated', () => {
    for (const c of CASES) {
      const result = evaluate(rulePack, c.answers);
      assert.ok(result.kind === 'outcome');
      const keys = result.outcome.citations.map((x) => `${x.section}|${x.heading}`);
      assert.equal(new Set(keys).size, keys.length, c.name);
    }
  });

  it('shared without consent → the reasons and the subject-informed question must be recorded', () => {
    for (const c of CASES.filter((x) => x.decision === 'share_without_consent_justified')) {
      const result = evaluate(rulePack, c.answers);
      assert.ok(result.kind === 'outcome');
      const fields = result.outcome.mustRecord.map((r) => r.field);
      assert.ok(
        fields.includes('reasonsWithoutConsent') &&
          fields.includes('subjectInformed') &&
          fields.includes('consentStatus'),
        c.name,
      );
    }
  });

  it('inform_subject_later is left out only where telling them would add risk or hinder an investigation', () => {
    for (const c of CASES.filter((x) => x.decision === 'share_without_consent_justified')) {
      const result = evaluate(rulePack, c.answers);
      assert.ok(result.kind === 'outcome');
      const informLater = result.outcome.followUps.some((f) => f.code === 'inform_subject_later');
      const risky = ['would_increase_risk', 'would_impede_investigation'].includes(
        c.answers.why_not_ask ?? c.answers.checks_why_no_permission ?? '',
      );
      const parentRisk = c.answers.consent_pr === 'refused_asking_adds_risk';
      assert.equal(informLater, !risky && !parentRisk, c.name);
    }
  });

  it('withdrawal always brings inform_all_parties_consent_withdrawn', () => {
    for (const c of CASES.filter((x) =>
      [x.answers.consent, x.answers.consent_child, x.answers.consent_pr].includes('withdrawn'),
    )) {
      const result = evaluate(rulePack, c.answers);
      assert.ok(result.kind === 'outcome');
      assert.ok(
        result.outcome.followUps.some((f) => f.code === 'inform_all_parties_consent_withdrawn'),
        c.name,
      );
    }
  });

  it('outcome texts do not leak pack-internal fields', () => {
    const result = evaluate(rulePack, CONSENT_GIVEN.answers);
    assert.ok(result.kind === 'outcome');
    for (const t of [...result.outcome.reasons, ...result.outcome.conditions, ...result.outcome.practiceSteps]) {
      assert.deepEqual(Object.keys(t).sort(), ['citations', 'id', 'text']);
    }
  });

  it('is deterministic: same answers, same result, every time', () => {
    for (const c of CASES) {
      assert.deepEqual(evaluate(rulePack, c.answers), evaluate(rulePack, { ...c.answers }));
    }
    const shuffled = Object.fromEntries(Object.entries(CONSENT_GIVEN.answers).reverse());
    assert.deepEqual(evaluate(rulePack, shuffled), evaluate(rulePack, CONSENT_GIVEN.answers));
  });

  it('does not mutate the answers passed in', () => {
    const answers = { ...CONSENT_GIVEN.answers };
    const before = JSON.stringify(answers);
    evaluate(rulePack, answers);
    back(rulePack, answers);
    assert.equal(JSON.stringify(answers), before);
  });
});

describe('evaluate: tampered answers', () => {
  it('rejects an unknown question id', () => {
    assertInvalid({ route: 'sharing_out', shoe_size: '9' }, 'shoe_size', /unknown question "shoe_size"/);
  });

  it('rejects an unknown option code', () => {
    assertInvalid({ route: 'maybe' }, 'route', /unknown option "maybe" for question "route"/);
  });

  it('rejects an answer to a question that is skipped on this path', () => {
    // consent_from is never asked on the SAR route.
    assertInvalid(
      { route: 'subject_access_request', originated_elsewhere: 'yes', consent_from: 'adult_subject' },
      'consent_from',
      /not asked given the other answers/,
    );
    // caller_verified is only asked when responding by phone.
    assertInvalid(
      {
        route: 'sharing_out',
        about: 'person_posing_risk',
        exception: 'court_order',
        channel: 'email',
        caller_verified: 'known',
      },
      'caller_verified',
      /not asked/,
    );
    // A tailoring question the answer does not call for (no channel for "seek consent first" when passing on).
    assertInvalid(
      {
        route: 'sharing_out',
        about: 'person_posing_risk',
        exception: 'none',
        consent_from: 'adult_subject',
        consent: 'not_yet_asked',
        grounds: 'welfare_concern',
        why_not_ask: 'could_ask_safely',
        channel: 'email',
      },
      'channel',
      /not asked/,
    );
  });

  it('rejects an answer that jumps ahead of an unanswered question', () => {
    assertInvalid(
      { route: 'sharing_out', exception: 'none' },
      'exception',
      /after question "about", which has not been answered/,
    );
    // Tailoring answers before the decision questions are finished are refused too.
    assertInvalid({ route: 'sharing_out', about: 'other', channel: 'phone' }, 'channel', /after question "exception"/);
  });

  it('rejects non-string codes, arrays, null and prototype keys', () => {
    assertInvalid({ route: 1 }, 'route', /must be an option code/);
    assertInvalid(['sharing_out'], undefined, /must be an object/);
    assertInvalid(null, undefined, /must be an object/);
    assertInvalid(JSON.parse('{"__proto__": "x"}'), '__proto__', /unknown question "__proto__"/);
    assertInvalid({ constructor: 'x' }, 'constructor', /unknown question/);
  });

  it('back() and validateAnswers() reject tampered answers too', () => {
    assert.throws(() => back(rulePack, { nope: 'x' }), InvalidAnswersError);
    assert.throws(() => validateAnswers(rulePack, { route: 'nope' }), InvalidAnswersError);
  });
});

describe('back', () => {
  it('removes the most recent answer on the path, step by step, down to empty', () => {
    let answers: Answers = CONSENT_GIVEN.answers;
    const order = describeAnswers(rulePack, answers).map((d) => d.questionId);
    for (let i = order.length - 1; i >= 0; i--) {
      answers = back(rulePack, answers);
      assert.deepEqual(Object.keys(answers), order.slice(0, i));
      const result = asQuestion(evaluate(rulePack, answers));
      assert.equal(result.question.id, order[i]);
    }
    assert.deepEqual(back(rulePack, {}), {});
  });

  it('removes the last answer in path order even if the object lists keys in another order', () => {
    const answers = { originated_elsewhere: 'yes', route: 'subject_access_request' };
    assert.deepEqual(back(rulePack, answers), { route: 'subject_access_request' });
  });
});

describe('answerQuestion and describeAnswers', () => {
  it('changing an earlier answer keeps later answers still on the path and drops the rest', () => {
    const changed = answerQuestion(rulePack, CONSENT_GIVEN.answers, 'channel', 'fax');
    assert.equal(changed.channel, 'fax');
    assert.equal(changed.consent_limits, CONSENT_GIVEN.answers.consent_limits);

    const toRefused = answerQuestion(rulePack, CONSENT_GIVEN.answers, 'consent', 'refused');
    assert.equal(toRefused.consent, 'refused');
    assert.equal(toRefused.channel, undefined, 'tailoring answers after a changed decision answer are dropped');
    assert.equal(toRefused.consent_limits, undefined, 'limits are not asked once consent is refused');
    assert.equal(asQuestion(evaluate(rulePack, toRefused)).question.id, 'grounds');

    const toSar = answerQuestion(rulePack, CONSENT_GIVEN.answers, 'route', 'subject_access_request');
    assert.deepEqual({ ...toSar }, { route: 'subject_access_request' });
  });

  it('answerQuestion rejects unknown codes and off-path questions', () => {
    assert.throws(() => answerQuestion(rulePack, {}, 'route', 'maybe'), InvalidAnswersError);
    assert.throws(() => answerQuestion(rulePack, {}, 'consent', 'given'), InvalidAnswersError);
  });

  it('describeAnswers gives question text and option labels in path order', () => {
    const described = describeAnswers(rulePack, { route: 'foi_request', originated_elsewhere: 'yes' });
    assert.deepEqual(
      described.map((d) => [d.questionId, d.code]),
      [
        ['route', 'foi_request'],
        ['originated_elsewhere', 'yes'],
      ],
    );
    assert.match(described[0]?.label ?? '', /Freedom of Information/);
  });
});

describe('the pack as shipped', () => {
  it('exports its version', () => {
    assert.equal(RULE_PACK_VERSION, '2015.10-r2');
  });

  it('uses exactly the channel codes the record form expects', () => {
    const channel = rulePack.questions.find((q) => q.id === 'channel');
    assert.deepEqual(
      channel?.options.map((o) => o.code),
      ['phone', 'email', 'secure_system', 'fax', 'in_person', 'post'],
    );
  });

  it('uses exactly the recipient codes the record form expects, and the outcome carries the answer', () => {
    const recipient = rulePack.questions.find((q) => q.id === 'recipient');
    assert.deepEqual(
      recipient?.options.map((o) => o.code),
      [...RECIPIENT_CODES],
    );
    const result = evaluate(rulePack, CONSENT_GIVEN.answers);
    assert.ok(result.kind === 'outcome');
    assert.equal(result.outcome.recipient, CONSENT_GIVEN.answers.recipient);
    assert.equal(result.outcome.channel, CONSENT_GIVEN.answers.channel);
  });

  it('asks every tailoring question after every decision question', () => {
    const phases = rulePack.questions.map((q) => q.phase);
    assert.equal(phases.indexOf('tailor'), phases.lastIndexOf('decide') + 1);
  });

  it('ends with a catch-all seek_advice rule', () => {
    const last = rulePack.rules.at(-1);
    assert.equal(last?.decision, 'seek_advice');
    assert.deepEqual(last?.when, { all: [] });
  });
});

describe('domain purity', () => {
  it('imports nothing from botbuilder, restify or @azure/*', () => {
    const root = path.resolve(__dirname, '../../../src/domain');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (name.endsWith('.ts')) files.push(full);
      }
    };
    walk(root);
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      const imports = [...source.matchAll(/from\s+'([^']+)'|require\('([^']+)'\)|import\('([^']+)'\)/g)].map(
        (m) => m[1] ?? m[2] ?? m[3] ?? '',
      );
      for (const spec of imports) {
        const allowed = spec.startsWith('.') || spec === 'zod' || spec.startsWith('node:');
        assert.ok(allowed, `${path.relative(root, file)} imports "${spec}"`);
      }
    }
  });
});
