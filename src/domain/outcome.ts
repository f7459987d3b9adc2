/** Builds the Outcome for a completed questionnaire from the first matching rule. Pure. */
import { conditionHolds } from './conditions';
import type { Answers, Citation, CitedText, ConsentStatus, FollowUpRequirement, Outcome, RecordRequirement } from './contract';
import type { Condition, PackCitedText, Rule, RulePack } from './rulePack/schema';

const applies = (appliesWhen: Condition | undefined, answers: Answers) => !appliesWhen || conditionHolds(appliesWhen, answers);

type PackStep = RulePack['practiceSteps'][number];
type PackRecord = RulePack['recordRequirements'][number];
type PackFollowUp = RulePack['followUps'][number];

/** Lookups by id, built once per (frozen) pack: outcomes are built often, e.g. when tests walk every path. */
interface PackIndex {
  steps: Map<string, PackStep>;
  records: Map<string, PackRecord>;
  followUps: Map<string, PackFollowUp>;
  sectionOrder: Map<string, number>;
}
const indexes = new WeakMap<RulePack, PackIndex>();
const citationKey = (c: Citation) => `${c.section}\u0000${c.heading}`;

function indexOf(pack: RulePack): PackIndex {
  let index = indexes.get(pack);
  if (!index) {
    index = {
      steps: new Map(pack.practiceSteps.map((p) => [p.id, p])),
      records: new Map(pack.recordRequirements.map((r) => [r.field, r])),
      followUps: new Map(pack.followUps.map((f) => [f.code, f])),
      sectionOrder: new Map(pack.metadata.sections.map((s, i) => [citationKey(s), i])),
    };
    indexes.set(pack, index);
  }
  return index;
}

/** Copies out only the contract's fields, so pack-internal ones (appliesWhen) never reach the bot or storage. */
function toCitedText(t: PackCitedText): CitedText {
  return { id: t.id, text: t.text, citations: t.citations.map((c) => ({ section: c.section, heading: c.heading })) };
}

export function consentStatusOf(pack: RulePack, answers: Answers): ConsentStatus {
  return pack.derive.consentStatus.find((d) => conditionHolds(d.when, answers))?.status ?? pack.derive.consentStatusDefault;
}

export function matchingRule(pack: RulePack, answers: Answers): Rule {
  const rule = pack.rules.find((r) => conditionHolds(r.when, answers));
  // loadRulePack guarantees a catch-all last rule, so this only fires on an unvalidated pack.
  if (!rule) throw new Error('no rule matched: the rule pack has no catch-all rule');
  return rule;
}

/** Deduplicated citations, ordered as the guidance orders its sections. */
function collectCitations(index: PackIndex, groups: readonly { citations: readonly Citation[] }[]): Citation[] {
  const unique = new Map<string, Citation>();
  for (const group of groups) {
    for (const c of group.citations) {
      const key = citationKey(c);
      if (!unique.has(key)) unique.set(key, { section: c.section, heading: c.heading });
    }
  }
  const order = (c: Citation) => index.sectionOrder.get(citationKey(c)) ?? Number.MAX_SAFE_INTEGER;
  return [...unique.values()].sort((a, b) => order(a) - order(b));
}

export function buildOutcome(pack: RulePack, answers: Answers): Outcome {
  const index = indexOf(pack);
  const rule = matchingRule(pack, answers);
  const reasons = rule.reasons.filter((t) => applies(t.appliesWhen, answers)).map(toCitedText);
  const conditions = rule.conditions.filter((t) => applies(t.appliesWhen, answers)).map(toCitedText);
  const practiceSteps = rule.practiceSteps
    .map((id) => index.steps.get(id))
    .filter((p): p is PackStep => p !== undefined && applies(p.appliesWhen, answers))
    .map(toCitedText);
  const mustRecord: RecordRequirement[] = rule.mustRecord
    .map((field) => index.records.get(field))
    .filter((r): r is PackRecord => r !== undefined && applies(r.appliesWhen, answers))
    .map((r) => ({ field: r.field, text: r.text, citations: r.citations.map((c) => ({ ...c })) }));
  const followUps: FollowUpRequirement[] = rule.followUps
    .map((code) => index.followUps.get(code))
    .filter((f): f is PackFollowUp => f !== undefined && applies(f.appliesWhen, answers))
    .map((f) => ({ code: f.code, text: f.text, citations: f.citations.map((c) => ({ ...c })) }));

  const channelQuestion = pack.derive.channelQuestion;
  const channel = Object.hasOwn(answers, channelQuestion) ? answers[channelQuestion] : undefined;

  const outcome: Outcome = {
    ruleId: rule.id,
    decision: rule.decision,
    title: rule.title,
    summary: rule.summary,
    reasons,
    conditions,
    practiceSteps,
    mustRecord,
    followUps,
    consentStatus: consentStatusOf(pack, answers),
    safetyLines: [...pack.safetyLines],
    citations: collectCitations(index, [...reasons, ...conditions, ...practiceSteps, ...mustRecord, ...followUps]),
  };
  if (channel !== undefined) outcome.channel = channel;
  return outcome;
}
