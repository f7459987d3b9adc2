/**
 * Reference checks a schema cannot express. Each problem names the entry at fault so whoever edits
 * the pack can find it, e.g. `rule "share-x": condition refers to unknown option "maybe" of question "consent"`.
 */
import { conditionReferences, usesDecision } from '../conditions';
import type { Condition, ParsedRulePack } from './schema';
import { CHANNEL_CODES, RECIPIENT_CODES } from './codes';

type Questions = ParsedRulePack['questions'];

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dupes = new Set<string>();
  for (const v of values) (seen.has(v) ? dupes : seen).add(v);
  return [...dupes];
}

/**
 * Checks every question/option a condition names. With `askedBefore`, the referenced question must
 * also come earlier in the pack: the engine walks questions in order, so a later one has no answer yet.
 */
function checkCondition(
  owner: string,
  what: string,
  condition: Condition,
  questions: Questions,
  askedBefore?: number,
): string[] {
  const problems: string[] = [];
  for (const ref of conditionReferences(condition)) {
    const index = questions.findIndex((q) => q.id === ref.questionId);
    const question = questions[index];
    if (!question) {
      problems.push(`${owner}: ${what} refers to unknown question "${ref.questionId}"`);
      continue;
    }
    if (askedBefore !== undefined && index >= askedBefore) {
      problems.push(`${owner}: ${what} refers to question "${ref.questionId}", which is not asked before it`);
    }
    for (const code of ref.codes) {
      if (!question.options.some((o) => o.code === code)) {
        problems.push(`${owner}: ${what} refers to unknown option "${code}" of question "${ref.questionId}"`);
      }
    }
  }
  return problems;
}

function sameCitation(a: { section: string; heading: string }, b: { section: string; heading: string }): boolean {
  return a.section === b.section && a.heading === b.heading;
}

export function crossCheckRulePack(pack: ParsedRulePack): string[] {
  const { questions, rules, practiceSteps, recordRequirements, followUps, metadata } = pack;
  const problems: string[] = [];

  for (const id of duplicates(questions.map((q) => q.id))) problems.push(`question "${id}": duplicate id`);
  for (const id of duplicates(rules.map((r) => r.id))) problems.push(`rule "${id}": duplicate id`);
  for (const id of duplicates(practiceSteps.map((p) => p.id))) problems.push(`practice step "${id}": duplicate id`);
  for (const f of duplicates(recordRequirements.map((r) => r.field)))
    problems.push(`record requirement "${f}": duplicate field`);
  for (const c of duplicates(followUps.map((f) => f.code))) problems.push(`follow-up "${c}": duplicate code`);
  for (const id of duplicates(metadata.legalNotes.map((n) => n.id))) problems.push(`legal note "${id}": duplicate id`);

  // Every citation must be a real section/heading of the guidance, so records cite what a reader can find.
  const cite = (owner: string, citations: readonly { section: string; heading: string }[]) => {
    for (const c of citations) {
      if (!metadata.sections.some((s) => sameCitation(s, c))) {
        problems.push(
          `${owner}: cites section "${c.section}" heading "${c.heading}", which is not in the guidance's section list`,
        );
      }
    }
  };

  const tailoring = new Set(questions.filter((q) => q.phase === 'tailor').map((q) => q.id));
  const firstTailoring = questions.findIndex((q) => q.phase === 'tailor');
  questions.forEach((q, index) => {
    const owner = `question "${q.id}"`;
    for (const code of duplicates(q.options.map((o) => o.code))) problems.push(`${owner}: duplicate option "${code}"`);
    cite(owner, q.citations);
    if (q.askWhen) problems.push(...checkCondition(owner, 'askWhen', q.askWhen, questions, index));
    // The decision must be settled before any tailoring question: all decision questions come first…
    if (q.phase === 'decide' && firstTailoring !== -1 && index > firstTailoring) {
      problems.push(`${owner}: a decision question must come before every tailoring question`);
    }
    // …and they cannot look at the decision they are still deciding.
    if (q.phase === 'decide' && q.askWhen && usesDecision(q.askWhen)) {
      problems.push(`${owner}: askWhen of a decision question cannot refer to the decision`);
    }
  });

  /** Rules and derivations decide the answer, so they may not depend on tailoring answers or on the decision. */
  const decidesOnly = (owner: string, condition: Condition) => {
    if (usesDecision(condition)) problems.push(`${owner}: cannot refer to the decision`);
    for (const ref of conditionReferences(condition)) {
      if (tailoring.has(ref.questionId))
        problems.push(`${owner}: refers to tailoring question "${ref.questionId}", which is asked after the answer`);
    }
  };

  const stepIds = new Set(practiceSteps.map((p) => p.id));
  const recordFields = new Set(recordRequirements.map((r) => r.field));
  const followUpCodes = new Set(followUps.map((f) => f.code));

  for (const rule of rules) {
    const owner = `rule "${rule.id}"`;
    problems.push(...checkCondition(owner, 'condition', rule.when, questions));
    decidesOnly(`${owner}: condition`, rule.when);
    const texts = [...rule.reasons, ...rule.conditions];
    for (const id of duplicates(texts.map((t) => t.id)))
      problems.push(`${owner}: duplicate reason/condition id "${id}"`);
    for (const text of texts) {
      cite(`${owner}: "${text.id}"`, text.citations);
      if (text.appliesWhen)
        problems.push(...checkCondition(`${owner}: "${text.id}"`, 'appliesWhen', text.appliesWhen, questions));
    }
    for (const id of rule.practiceSteps)
      if (!stepIds.has(id)) problems.push(`${owner}: refers to unknown practice step "${id}"`);
    for (const f of rule.mustRecord)
      if (!recordFields.has(f)) problems.push(`${owner}: refers to unknown record requirement "${f}"`);
    for (const c of rule.followUps)
      if (!followUpCodes.has(c)) problems.push(`${owner}: refers to unknown follow-up "${c}"`);
  }

  const lastRule = rules[rules.length - 1];
  const isCatchAll =
    lastRule && 'all' in lastRule.when && lastRule.when.all.length === 0 && lastRule.decision === 'seek_advice';
  if (lastRule && !isCatchAll) {
    problems.push(
      `rule "${lastRule.id}": the last rule must be a catch-all (when: { all: [] }) deciding "seek_advice"`,
    );
  }

  const checkOptionalCondition = (owner: string, appliesWhen: Condition | undefined) => {
    if (appliesWhen) problems.push(...checkCondition(owner, 'appliesWhen', appliesWhen, questions));
  };
  for (const p of practiceSteps) {
    cite(`practice step "${p.id}"`, p.citations);
    checkOptionalCondition(`practice step "${p.id}"`, p.appliesWhen);
  }
  for (const r of recordRequirements) {
    cite(`record requirement "${r.field}"`, r.citations);
    checkOptionalCondition(`record requirement "${r.field}"`, r.appliesWhen);
  }
  for (const f of followUps) {
    cite(`follow-up "${f.code}"`, f.citations);
    checkOptionalCondition(`follow-up "${f.code}"`, f.appliesWhen);
  }
  for (const n of metadata.legalNotes) cite(`legal note "${n.id}"`, n.citations);
  for (const c of duplicates(pack.practiceReminders.map((r) => r.code)))
    problems.push(`practice reminder "${c}": duplicate code`);
  for (const r of pack.practiceReminders) cite(`practice reminder "${r.code}"`, r.citations);
  for (const [name, t] of Object.entries(pack.followUpTexts)) cite(`follow-up text "${name}"`, t.citations);
  for (const id of duplicates(pack.urgentShare.steps.map((s) => s.id)))
    problems.push(`urgent step "${id}": duplicate id`);
  cite('urgentShare summary', pack.urgentShare.summary.citations);
  for (const s of pack.urgentShare.steps) cite(`urgent step "${s.id}"`, s.citations);
  cite('urgentShare recordAfter', pack.urgentShare.recordAfter.citations);

  pack.derive.consentStatus.forEach((d, i) => {
    problems.push(...checkCondition(`derive.consentStatus[${i}]`, 'condition', d.when, questions));
    decidesOnly(`derive.consentStatus[${i}]`, d.when);
  });

  const cross = pack.crossCutting;
  for (const id of duplicates(cross.conditions.map((c) => c.id)))
    problems.push(`crossCutting condition "${id}": duplicate id`);
  for (const c of cross.conditions) {
    cite(`crossCutting condition "${c.id}"`, c.citations);
    checkOptionalCondition(`crossCutting condition "${c.id}"`, c.appliesWhen);
  }
  for (const p of cross.practiceSteps) {
    if (!stepIds.has(p.step)) problems.push(`crossCutting: refers to unknown practice step "${p.step}"`);
    problems.push(...checkCondition(`crossCutting step "${p.step}"`, 'when', p.when, questions));
  }
  for (const r of cross.mustRecord) {
    if (!recordFields.has(r.field)) problems.push(`crossCutting: refers to unknown record requirement "${r.field}"`);
    problems.push(...checkCondition(`crossCutting record "${r.field}"`, 'when', r.when, questions));
  }
  for (const f of cross.followUps) {
    if (!followUpCodes.has(f.code)) problems.push(`crossCutting: refers to unknown follow-up "${f.code}"`);
    problems.push(...checkCondition(`crossCutting follow-up "${f.code}"`, 'when', f.when, questions));
  }
  const recipientQuestion = questions.find((q) => q.id === pack.derive.recipientQuestion);
  if (!recipientQuestion) {
    problems.push(`derive.recipientQuestion: refers to unknown question "${pack.derive.recipientQuestion}"`);
  } else {
    const codes = recipientQuestion.options.map((o) => o.code).sort();
    const expected = [...RECIPIENT_CODES].sort();
    if (codes.join(',') !== expected.join(',')) {
      problems.push(
        `question "${recipientQuestion.id}": recipient options must be exactly ${expected.join(', ')} (got ${codes.join(', ')})`,
      );
    }
  }
  const channelQuestion = questions.find((q) => q.id === pack.derive.channelQuestion);
  if (!channelQuestion) {
    problems.push(`derive.channelQuestion: refers to unknown question "${pack.derive.channelQuestion}"`);
  } else {
    // The bot's record form keys on these exact codes.
    const codes = channelQuestion.options.map((o) => o.code).sort();
    const expected = [...CHANNEL_CODES].sort();
    if (codes.join(',') !== expected.join(',')) {
      problems.push(
        `question "${channelQuestion.id}": channel options must be exactly ${expected.join(', ')} (got ${codes.join(', ')})`,
      );
    }
  }
  return problems;
}
