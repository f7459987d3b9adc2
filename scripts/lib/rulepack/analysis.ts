/**
 * Invariants of the guidance, checked over EVERY complete path through a rule pack (about 400,000
 * for the 2015 pack), and coverage: every rule, question and option reachable. Used by
 * `npm run rulepack -- check` and by test/unit/domain/invariants.test.ts. Each invariant has a
 * premise and a requirement; a premise that never holds checks nothing, which `check` reports.
 * The invariants are written against the 2015 pack's questions; the same table, with the guidance
 * section for each, is in docs/guidance-invariants.md.
 */
import { completePaths, type Answers, type Outcome, type RulePack } from '../../../src/domain';
import { buildOutcome } from '../../../src/domain/outcome';

type Check = (a: Answers, o: Outcome, has: Sets, pack: RulePack) => boolean;
export interface Sets {
  steps: Set<string>;
  conditions: Set<string>;
  records: Set<string>;
  followUps: Set<string>;
}
export interface Invariant {
  id: string;
  premise: Check;
  requires: Check;
  /**
   * The pack ids it applies to, when it is a requirement of one document only (e.g. the 2015 chapter's local
   * rule about police email, or a rule of today's national guidance the 2015 chapter did not have). Unset: every pack.
   */
  packs?: readonly string[];
}

/** The invariants that apply to this pack: the shared ones and those written for it. */
export function invariantsFor(pack: RulePack): Invariant[] {
  return INVARIANTS.filter((i) => !i.packs || i.packs.includes(pack.metadata.id));
}

const EXCHANGE = new Set([
  'share_with_consent',
  'share_not_confidential_or_authorised',
  'share_legal_obligation',
  'share_without_consent_justified',
]);
const goesAhead = (o: Outcome) => EXCHANGE.has(o.decision);
// Constants and plain loops out here: every check runs on each of ~400,000 paths.
const CONSENT_QUESTIONS = ['consent', 'consent_child', 'consent_pr'] as const;
const consentIs = (a: Answers, ...codes: string[]) => CONSENT_QUESTIONS.some((q) => codes.includes(a[q] ?? ''));
const withdrawn = (a: Answers) => consentIs(a, 'withdrawn');
const sharing = (a: Answers) => a.route === 'sharing_out' || a.route === 'responding_to_request';
/** The grounds that are a (perceived) risk of harm to a child, in the national pack's grounds question. */
const CHILD_AT_RISK = new Set([
  'significant_harm_evidence',
  'significant_harm_reasonable_cause',
  'prevent_serious_harm',
  'risk_of_harm',
  'vital_interests',
]);
const INFORMING_UNSAFE = new Set(['would_increase_risk', 'would_impede_investigation']);
const informingUnsafe = (a: Answers) =>
  INFORMING_UNSAFE.has(a.why_not_ask ?? '') ||
  INFORMING_UNSAFE.has(a.checks_why_no_permission ?? '') ||
  a.consent_pr === 'refused_asking_adds_risk';
/** The pack's safety lines as JSON, once per pack. */
const safetyJson = new WeakMap<RulePack, string>();
const safetyJsonOf = (pack: RulePack) => {
  let json = safetyJson.get(pack);
  if (json === undefined) safetyJson.set(pack, (json = JSON.stringify(pack.safetyLines)));
  return json;
};
const allCited = (...lists: ReadonlyArray<{ citations: readonly unknown[] }>[]) =>
  lists.every((list) => list.every((t) => t.citations.length >= 1));

export const INVARIANTS: readonly Invariant[] = [
  {
    id: 'every-outcome-complete',
    premise: () => true,
    requires: (_a, o, _h, pack) =>
      o.reasons.length >= 1 &&
      o.citations.length >= 1 &&
      JSON.stringify(o.safetyLines) === safetyJsonOf(pack) &&
      allCited(o.reasons, o.conditions, o.practiceSteps, o.mustRecord, o.followUps),
  },
  {
    id: 'unverified-caller-verify-first',
    premise: (a) => a.caller_verified === 'not_verified',
    requires: (_a, _o, h) => h.steps.has('verify-caller-before-sharing') && h.conditions.has('caller-verified-first'),
  },
  {
    id: 'own-organisation-same-rules',
    premise: (a) => a.recipient === 'same_organisation',
    requires: (_a, _o, h) => h.steps.has('same-rules-inside-organisation'),
  },
  {
    id: 'phone-or-in-person-record-what-was-relayed',
    premise: (a, o) => goesAhead(o) && (a.channel === 'phone' || a.channel === 'in_person'),
    requires: (_a, _o, h) => h.steps.has('record-what-was-said'),
  },
  {
    id: 'exchange-proportionate-need-to-know',
    premise: (_a, o) => goesAhead(o),
    requires: (a, _o, h) =>
      h.conditions.has('proportionate') &&
      h.steps.has(sharing(a) ? 'share-only-what-is-needed' : 'checks-only-relevant-agencies') &&
      h.steps.has('protective-marking') &&
      h.steps.has('store-securely') &&
      h.steps.has('record-under-agency-procedure'),
  },
  {
    id: 'exchange-recorded',
    premise: (_a, o) => goesAhead(o),
    requires: (_a, _o, h) =>
      ['caseReference', 'consentStatus', 'recipient', 'channel', 'informationOutline'].every((f) => h.records.has(f)),
  },
  {
    id: 'without-consent-reasons-and-tell-later',
    premise: (_a, o) => o.decision === 'share_without_consent_justified',
    requires: (a, _o, h) =>
      h.records.has('reasonsWithoutConsent') &&
      h.records.has('subjectInformed') &&
      h.followUps.has('inform_subject_later') === !informingUnsafe(a),
  },
  {
    id: 'fax-only-if-necessary-checked-reassured',
    premise: (a, o) => goesAhead(o) && a.channel === 'fax',
    requires: (_a, _o, h) =>
      ['fax-only-if-absolutely-necessary', 'fax-check-number', 'fax-confirm-secure-handling'].every((s) =>
        h.steps.has(s),
      ),
  },
  {
    id: 'email-secure-system-and-warning',
    premise: (a, o) => goesAhead(o) && a.channel === 'email',
    requires: (_a, _o, h) =>
      h.steps.has('prefer-secure-system-to-email') && h.steps.has('email-confidentiality-warning'),
  },
  {
    id: 'secure-system-warning',
    premise: (a, o) => goesAhead(o) && a.channel === 'secure_system',
    requires: (_a, _o, h) =>
      h.steps.has('email-confidentiality-warning') && !h.steps.has('prefer-secure-system-to-email'),
  },
  {
    // Local to the 2015 chapter (Thames Valley Police's secure-network rule): not a national requirement.
    id: 'police-email-secure-network-only',
    packs: ['2015-local'],
    premise: (a, o) => goesAhead(o) && a.channel === 'email' && a.recipient === 'police',
    requires: (_a, _o, h) => h.steps.has('police-email-secure-network-only'),
  },
  {
    id: 'channel-steps-only-for-their-channel',
    premise: () => true,
    requires: (a, _o, h) =>
      (a.channel === 'fax' || !h.steps.has('fax-check-number')) &&
      (a.channel === 'email' || !h.steps.has('prefer-secure-system-to-email')) &&
      (a.caller_verified === 'not_verified' || !h.steps.has('verify-caller-before-sharing')),
  },
  {
    id: 'withdrawn-tell-everyone-and-stop-unless-justified',
    premise: (a) => withdrawn(a),
    requires: (_a, o, h) =>
      h.followUps.has('inform_all_parties_consent_withdrawn') &&
      (goesAhead(o) ? o.decision === 'share_without_consent_justified' : h.steps.has('stop-exchanging-now')) &&
      o.consentStatus === 'withdrawn',
  },
  {
    id: 'anonymous-refused',
    premise: (a) => a.anonymous === 'wants_anonymous',
    requires: (_a, _o, h) => h.conditions.has('not-anonymously') && h.steps.has('refer-in-own-name'),
  },
  {
    id: 'not-sure-routes-to-advice',
    premise: (a) =>
      ['not_sure_legal', 'not_sure_confidential'].includes(a.exception ?? '') || a.originated_elsewhere === 'not_sure',
    requires: (_a, o) => o.decision === 'seek_advice' && o.reasons.length >= 1,
  },
  {
    id: 'competence-doubt-never-relies-on-consent',
    premise: (a) => a.consent_from === 'competence_in_doubt',
    requires: (_a, o) => o.decision === 'seek_advice' || o.decision === 'share_without_consent_justified',
  },
  {
    id: 'consent-relied-on-limits-and-writing-asked',
    premise: (a, o) =>
      o.decision === 'share_with_consent' ||
      (a.exception === 'authorised_expressly' && o.ruleId === 'share-authorised-by-confider'),
    requires: (a, _o, h) =>
      a.consent_limits !== undefined &&
      a.consent_limits !== 'limits_exclude_this' &&
      a.consent_in_writing !== undefined &&
      h.steps.has('confirm-consent-in-writing') === (a.consent_in_writing === 'verbal_only') &&
      h.steps.has('tell-recipient-consent-limits') === (a.consent_limits === 'limits_allow_this'),
  },
  {
    id: 'competent-child-decision-counts',
    premise: (a) =>
      a.consent_child === 'child_refused_parent_agreed' || a.consent_child === 'child_agreed_parent_refused',
    requires: (a, o) =>
      a.consent_child === 'child_refused_parent_agreed'
        ? o.decision !== 'share_with_consent' && o.consentStatus === 'sought_refused'
        : a.consent_limits === 'limits_exclude_this' ||
          (o.decision === 'share_with_consent' && o.consentStatus === 'sought_obtained'),
  },
  {
    id: 'parent-disagreement-or-risk-never-consent',
    premise: (a) => a.consent_pr === 'pr_disagree' || a.consent_pr === 'refused_asking_adds_risk',
    requires: (_a, o) => o.decision !== 'share_with_consent' && o.consentStatus === 'sought_refused',
  },
  {
    id: 'sensitive-extra-care-and-schedule-3',
    premise: (a, o) =>
      goesAhead(o) && sharing(a) && (a.sensitive === 'health_or_sexual' || a.sensitive === 'other_sensitive'),
    requires: (_a, o, h) =>
      h.steps.has('extra-care-sensitive') &&
      // 2015: a DPA 1998 Schedule 3 condition; today: a UK GDPR Article 9 condition (DPA 2018 Sch. 1 para. 18).
      (o.decision !== 'share_without_consent_justified' ||
        h.conditions.has('dpa-schedule-3') ||
        h.conditions.has('article-9-condition')) &&
      (o.decision !== 'share_with_consent' ||
        h.conditions.has('dpa-schedule-3-explicit-consent') ||
        h.conditions.has('article-9-condition-consent')),
  },
  {
    id: 'not-about-a-child-still-gets-common-law-answers',
    premise: (a) => a.about === 'other' && sharing(a),
    requires: (a, o) => {
      if (a.exception === 'court_order' || a.exception === 'other_legal_duty')
        return o.decision === 'share_legal_obligation';
      if (a.exception === 'not_confidential' || a.exception === 'authorised_implicitly')
        return o.decision === 'share_not_confidential_or_authorised';
      if (['serious_harm_adult', 'serious_crime', 'vital_interests'].includes(a.adult_grounds ?? ''))
        return o.ruleId !== 'outside-child-protection-scope';
      return true;
    },
  },
  {
    id: 'outside-guidance-only-when-nothing-applies',
    premise: (_a, o) => o.ruleId === 'outside-child-protection-scope',
    requires: (a) =>
      a.about === 'other' &&
      (a.route === 'making_checks' ||
        (a.exception === 'none' && a.adult_grounds === 'none_of_these' && a.consent === 'not_yet_asked')),
  },
  // ------------------------------------------------ today's national guidance (rulepacks/england-2024)
  {
    // DfE 2024 golden rule 3: consent is not needed to share where a child is at risk, or perceived risk, of harm.
    id: 'child-at-risk-consent-not-needed',
    packs: ['england-2024'],
    premise: (a) => sharing(a) && CHILD_AT_RISK.has(a.grounds ?? ''),
    requires: (_a, o) => o.decision !== 'do_not_share' && o.decision !== 'seek_consent_first',
  },
  {
    // Golden rules 2 and 3: telling the family is safe and a child is at risk ⇒ share, telling them first.
    id: 'child-at-risk-tell-not-ask',
    packs: ['england-2024'],
    premise: (a) => sharing(a) && a.why_not_ask === 'could_ask_safely' && CHILD_AT_RISK.has(a.grounds ?? ''),
    requires: (_a, o, h) => o.decision === 'share_without_consent_justified' && h.steps.has('tell-them-before-sharing'),
  },
  {
    // Going back to a parent would put the child at risk: a perceived risk of harm ⇒ share, and don't tell them.
    id: 'parent-risk-share-without-telling',
    packs: ['england-2024'],
    premise: (a) => sharing(a) && a.consent_pr === 'refused_asking_adds_risk',
    requires: (_a, o, h) =>
      o.decision === 'share_without_consent_justified' &&
      h.steps.has('do-not-go-back-to-parent') &&
      !h.followUps.has('inform_subject_later'),
  },
  {
    // ICO data sharing code, urgent situations: in an emergency share what is necessary and proportionate, now.
    id: 'emergency-share-now',
    packs: ['england-2024'],
    premise: (a) => a.exception === 'emergency',
    requires: (_a, o, h) =>
      o.decision === 'share_without_consent_justified' &&
      h.steps.has('emergency-share-what-is-necessary') &&
      h.steps.has('emergency-record-afterwards'),
  },
  {
    // DfE 2024: consent is often not the lawful basis ⇒ every share without consent names the Article 6 basis.
    id: 'without-consent-names-the-lawful-basis',
    packs: ['england-2024'],
    premise: (_a, o) => o.decision === 'share_without_consent_justified',
    requires: (a, _o, h) =>
      h.conditions.has(sharing(a) ? 'lawful-basis-without-consent' : 'lawful-basis-public-task-checks'),
  },
  {
    // Golden rule 5: every exchange protects the identities of people who could be harmed.
    id: 'exchange-protects-identities',
    packs: ['england-2024'],
    premise: (_a, o) => goesAhead(o),
    requires: (_a, _o, h) => h.steps.has('protect-identities'),
  },
  {
    // An adult at risk who has not agreed ⇒ never "don't share" without advice, never "share with consent".
    id: 'adult-at-risk-refusal-weighed',
    packs: ['england-2024'],
    premise: (a) =>
      a.adult_grounds === 'adult_at_risk' &&
      (consentIs(a, 'refused', 'withdrawn') || a.consent_limits === 'limits_exclude_this'),
    requires: (_a, o, h) => o.decision === 'seek_advice' && h.steps.has('adult-views-and-capacity'),
  },
  {
    // The national pack keeps the 2015 chapter's local practice out (or marks it local): no Thames Valley rule.
    id: 'no-local-police-rule-in-national-pack',
    packs: ['england-2024'],
    premise: () => true,
    requires: (_a, _o, h, pack) =>
      !h.steps.has('police-email-secure-network-only') &&
      !pack.practiceSteps.some((s) => s.text.includes('Thames Valley')),
  },
  {
    id: 'at-most-ten-questions-to-the-answer',
    premise: () => true,
    requires: (a, _o, _h, pack) =>
      pack.questions.filter((q) => q.phase === 'decide' && a[q.id] !== undefined).length <= 10,
  },
];

/** At most this many example paths are kept per broken invariant. */
const EXAMPLES = 3;

export interface PackAnalysis {
  paths: number;
  /**
   * Invariant id → example paths that break it ("<rule> ← <answers>"). Includes 'tailoring-never-changes-the-answer'.
   */
  failures: Map<string, string[]>;
  /** Invariant id → how many paths its premise held on. */
  applied: Map<string, number>;
  /** Invariants whose premise never held. */
  vacuous: string[];
  /** Distinct decision-answer sets (each must select one rule). */
  decisionPaths: number;
  unreachedRules: string[];
  unaskedQuestions: string[];
  /** `question=option` never chosen on any path. */
  unchosenOptions: string[];
}

/** The outcome's ids as sets, each built the first time a check asks for it (most checks look at none). */
class OutcomeSets implements Sets {
  #steps?: Set<string>;
  #conditions?: Set<string>;
  #records?: Set<string>;
  #followUps?: Set<string>;
  constructor(private readonly outcome: Outcome) {}
  get steps() {
    return (this.#steps ??= new Set(this.outcome.practiceSteps.map((s) => s.id)));
  }
  get conditions() {
    return (this.#conditions ??= new Set(this.outcome.conditions.map((c) => c.id)));
  }
  get records() {
    return (this.#records ??= new Set(this.outcome.mustRecord.map((r) => r.field)));
  }
  get followUps() {
    return (this.#followUps ??= new Set(this.outcome.followUps.map((f) => f.code)));
  }
}

/**
 * One walk over every complete path: invariants, "tailoring answers never change the answer", and
 * coverage. `onPath` sees each path and its outcome (the same mutable answers object: copy to keep).
 */
export function analysePack(pack: RulePack, onPath?: (answers: Answers, outcome: Outcome) => void): PackAnalysis {
  const failures = new Map<string, string[]>();
  const invariants = invariantsFor(pack);
  const ruleByDecisionAnswers = new Map<string, string>();
  const decideList = pack.questions.filter((q) => q.phase === 'decide').map((q) => q.id);
  const rules = new Set<string>();
  /** Per question, the option codes chosen on some path. */
  const chosen = new Map<string, Set<string>>(pack.questions.map((q) => [q.id, new Set<string>()]));
  /** Per invariant (by position), on how many paths its premise held. */
  const appliedCounts = invariants.map(() => 0);
  const fail = (id: string, example: string) => {
    const list = failures.get(id) ?? [];
    if (list.length < EXAMPLES) list.push(example);
    failures.set(id, list);
  };
  let paths = 0;
  for (const answers of completePaths(pack)) {
    paths++;
    const outcome = buildOutcome(pack, answers);
    onPath?.(answers, outcome);
    rules.add(outcome.ruleId);
    for (const q in answers) chosen.get(q)?.add(answers[q] as string);
    const sets = new OutcomeSets(outcome);
    for (let i = 0; i < invariants.length; i++) {
      const inv = invariants[i] as Invariant;
      if (!inv.premise(answers, outcome, sets, pack)) continue;
      appliedCounts[i] = (appliedCounts[i] ?? 0) + 1;
      if (!inv.requires(answers, outcome, sets, pack)) fail(inv.id, `${outcome.ruleId} ← ${JSON.stringify(answers)}`);
    }
    // The tailoring answers (after the answer is shown) never change the answer.
    let decideKey = '';
    for (const q of decideList) if (answers[q] !== undefined) decideKey += `${q}=${answers[q]};`;
    const known = ruleByDecisionAnswers.get(decideKey);
    if (known === undefined) ruleByDecisionAnswers.set(decideKey, outcome.ruleId);
    else if (known !== outcome.ruleId)
      fail('tailoring-never-changes-the-answer', `${known} vs ${outcome.ruleId} ← ${JSON.stringify(answers)}`);
  }
  const applied = new Map(invariants.map((inv, i) => [inv.id, appliedCounts[i] ?? 0]));
  return {
    paths,
    failures,
    applied,
    vacuous: [...applied.entries()].filter(([, n]) => n === 0).map(([id]) => id),
    decisionPaths: ruleByDecisionAnswers.size,
    unreachedRules: pack.rules.map((r) => r.id).filter((id) => !rules.has(id)),
    unaskedQuestions: pack.questions.map((q) => q.id).filter((id) => chosen.get(id)?.size === 0),
    unchosenOptions: pack.questions.flatMap((q) =>
      q.options.filter((o) => !chosen.get(q.id)?.has(o.code)).map((o) => `${q.id}=${o.code}`),
    ),
  };
}
