/**
 * Builds the Outcome for a completed questionnaire from the first matching rule, plus everything the
 * pack applies to every outcome by its own condition (crossCutting). Pure.
 */
import { conditionHolds, type ConditionContext } from './conditions';
import type {
  AnswerHeadline,
  Answers,
  Citation,
  CitedText,
  ConsentStatus,
  FollowUpRequirement,
  Outcome,
  RecordRequirement,
} from './contract';
import type { Condition, PackCitedText, Rule, RulePack } from './rulePack/schema';

const applies = (appliesWhen: Condition | undefined, answers: Answers, context: ConditionContext) =>
  !appliesWhen || conditionHolds(appliesWhen, answers, context);

type PackStep = RulePack['practiceSteps'][number];
type PackRecord = RulePack['recordRequirements'][number];
type PackFollowUp = RulePack['followUps'][number];

/** Section positions, built once per (frozen) pack: outcomes are built often, e.g. when tests walk every path. */
const sectionOrders = new WeakMap<RulePack, Map<string, number>>();
const citationKey = (c: Citation) => `${c.section}\u0000${c.heading}`;

function sectionOrderOf(pack: RulePack): Map<string, number> {
  let order = sectionOrders.get(pack);
  if (!order) {
    order = new Map(pack.metadata.sections.map((s, i) => [citationKey(s), i]));
    sectionOrders.set(pack, order);
  }
  return order;
}

/** An item an outcome may show: listed by the rule (`own`), or cross-cutting when `crossWhen` holds. */
interface Candidate<T> {
  item: T;
  own: boolean;
  crossWhen: Condition[];
}

/**
 * Per rule, the steps, record fields and follow-ups it may show — its own plus the pack's
 * cross-cutting ones — in pack order. Built once per (frozen) rule.
 */
interface RulePlan {
  steps: Candidate<PackStep>[];
  records: Candidate<PackRecord>[];
  followUps: Candidate<PackFollowUp>[];
  conditions: PackCitedText[];
}
const plans = new WeakMap<Rule, RulePlan>();

function candidates<T>(
  all: readonly T[],
  idOf: (item: T) => string,
  own: readonly string[],
  cross: readonly { id: string; when: Condition }[],
): Candidate<T>[] {
  const ownIds = new Set(own);
  const result: Candidate<T>[] = [];
  for (const item of all) {
    const id = idOf(item);
    const crossWhen = cross.filter((c) => c.id === id).map((c) => c.when);
    if (ownIds.has(id) || crossWhen.length > 0) result.push({ item, own: ownIds.has(id), crossWhen });
  }
  return result;
}

function planOf(pack: RulePack, rule: Rule): RulePlan {
  let plan = plans.get(rule);
  if (!plan) {
    const cross = pack.crossCutting;
    const conditions: PackCitedText[] = [...rule.conditions];
    for (const c of cross.conditions) if (!conditions.some((t) => t.id === c.id)) conditions.push(c);
    plan = {
      steps: candidates(
        pack.practiceSteps,
        (p) => p.id,
        rule.practiceSteps,
        cross.practiceSteps.map((p) => ({ id: p.step, when: p.when })),
      ),
      records: candidates(
        pack.recordRequirements,
        (r) => r.field,
        rule.mustRecord,
        cross.mustRecord.map((r) => ({ id: r.field, when: r.when })),
      ),
      followUps: candidates(
        pack.followUps,
        (f) => f.code,
        rule.followUps,
        cross.followUps.map((f) => ({ id: f.code, when: f.when })),
      ),
      conditions,
    };
    plans.set(rule, plan);
  }
  return plan;
}

/**
 * The candidates that apply: listed by the rule or by a cross-cutting entry that holds, and their own appliesWhen
 * holds.
 */
function applying<T extends { appliesWhen?: Condition | undefined }>(
  list: readonly Candidate<T>[],
  answers: Answers,
  context: ConditionContext,
): T[] {
  const result: T[] = [];
  for (const c of list) {
    if (!c.own && !c.crossWhen.some((w) => conditionHolds(w, answers, context))) continue;
    if (applies(c.item.appliesWhen, answers, context)) result.push(c.item);
  }
  return result;
}

/**
 * The contract's view of a pack text: only its contract fields, so pack-internal ones (appliesWhen)
 * never reach the bot or storage. Made once per (frozen) pack item and frozen, so outcomes can share
 * it: outcomes are built often, e.g. when the invariants test walks every path.
 */
const views = new WeakMap<object, unknown>();
function viewOf<T>(item: object, make: () => T): T {
  let view = views.get(item) as T | undefined;
  if (view === undefined) {
    view = deepFreeze(make());
    views.set(item, view);
  }
  return view;
}
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
const copyCitations = (citations: readonly Citation[]) =>
  citations.map((c) => ({ section: c.section, heading: c.heading }));

function toCitedText(t: PackCitedText): CitedText {
  return viewOf(t, () => ({ id: t.id, text: t.text, citations: copyCitations(t.citations) }));
}

export function consentStatusOf(pack: RulePack, answers: Answers): ConsentStatus {
  return (
    pack.derive.consentStatus.find((d) => conditionHolds(d.when, answers))?.status ?? pack.derive.consentStatusDefault
  );
}

export function matchingRule(pack: RulePack, answers: Answers): Rule {
  const rule = pack.rules.find((r) => conditionHolds(r.when, answers));
  // loadRulePack guarantees a catch-all last rule, so this only fires on an unvalidated pack.
  if (!rule) throw new Error('no rule matched: the rule pack has no catch-all rule');
  return rule;
}

/** Per pack text, the positions (in the guidance's section list) of the sections it cites. */
const citationPositions = new WeakMap<object, number[]>();
function positionsOf(sectionOrder: Map<string, number>, item: { citations: readonly Citation[] }): number[] {
  let positions = citationPositions.get(item);
  if (!positions) {
    positions = item.citations.map((c) => sectionOrder.get(citationKey(c))).filter((i): i is number => i !== undefined);
    citationPositions.set(item, positions);
  }
  return positions;
}

/** Deduplicated citations of these pack texts, ordered as the guidance orders its sections. */
function collectCitations(pack: RulePack, items: readonly { citations: readonly Citation[] }[]): Citation[] {
  const sectionOrder = sectionOrderOf(pack);
  const cited = new Uint8Array(pack.metadata.sections.length);
  for (const item of items) for (const i of positionsOf(sectionOrder, item)) cited[i] = 1;
  const result: Citation[] = [];
  pack.metadata.sections.forEach((s, i) => {
    if (cited[i]) result.push({ section: s.section, heading: s.heading });
  });
  return result;
}

export function answerHeadline(rule: Rule): AnswerHeadline {
  return { ruleId: rule.id, decision: rule.decision, title: rule.title, summary: rule.summary };
}

export function buildOutcome(pack: RulePack, answers: Answers): Outcome {
  const rule = matchingRule(pack, answers);
  const context: ConditionContext = { decision: rule.decision };
  const plan = planOf(pack, rule);
  const reasonItems = rule.reasons.filter((t) => applies(t.appliesWhen, answers, context));
  const conditionItems = plan.conditions.filter((t) => applies(t.appliesWhen, answers, context));
  const stepItems = applying(plan.steps, answers, context);
  const recordItems = applying(plan.records, answers, context);
  const followUpItems = applying(plan.followUps, answers, context);
  const mustRecord: RecordRequirement[] = recordItems.map((r) =>
    viewOf(r, () => ({ field: r.field, text: r.text, citations: copyCitations(r.citations) })),
  );
  const followUps: FollowUpRequirement[] = followUpItems.map((f) =>
    viewOf(f, () => ({ code: f.code, text: f.text, citations: copyCitations(f.citations) })),
  );

  const answerTo = (questionId: string) => (Object.hasOwn(answers, questionId) ? answers[questionId] : undefined);
  const channel = answerTo(pack.derive.channelQuestion);
  const recipient = answerTo(pack.derive.recipientQuestion);

  const outcome: Outcome = {
    ruleId: rule.id,
    decision: rule.decision,
    title: rule.title,
    summary: rule.summary,
    reasons: reasonItems.map(toCitedText),
    conditions: conditionItems.map(toCitedText),
    practiceSteps: stepItems.map(toCitedText),
    mustRecord,
    followUps,
    consentStatus: consentStatusOf(pack, answers),
    safetyLines: [...pack.safetyLines],
    citations: collectCitations(pack, [
      ...reasonItems,
      ...conditionItems,
      ...stepItems,
      ...recordItems,
      ...followUpItems,
    ]),
  };
  if (channel !== undefined) outcome.channel = channel;
  if (recipient !== undefined) outcome.recipient = recipient;
  return outcome;
}
