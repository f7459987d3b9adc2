/**
 * Zod schemas for the rule pack, and `loadRulePack`, the only way a pack enters the engine.
 *
 * The pack is data so that guidance updates (e.g. restating the 2015 Data Protection Act 1998
 * conditions under UK GDPR) are a reviewed data change, not a code change. zod checks the shape;
 * `crossCheckRulePack` then checks what a schema cannot: that every reference resolves.
 */
import { z } from 'zod';
import { DECISIONS, type DecisionCode } from '../contract';
import { CONSENT_STATUSES, FOLLOW_UP_CODES, RECORD_FIELD_CODES } from './codes';
import { crossCheckRulePack } from './crossCheck';

export { CHANNEL_CODES, CONSENT_STATUSES, FOLLOW_UP_CODES, RECIPIENT_CODES, RECORD_FIELD_CODES } from './codes';
export type { ChannelCode, RecipientCode } from './codes';

/** Lower-case slugs: safe as card data keys and as storage values. */
const Id = z.string().regex(/^[a-z0-9]+(?:[_-][a-z0-9]+)*$/, 'must be a lower-case slug (a-z, 0-9, "_" or "-")');
const Text = z.string().trim().min(1);

/**
 * The condition language. Conditions read answers only, so evaluation is pure.
 * - `{ q, in }`   the question was answered with one of these codes (unanswered → false)
 * - `{ answered }` the question was answered at all
 * - `{ all }`     every sub-condition holds (`{ all: [] }` is "always": the catch-all rule uses it)
 * - `{ any }`     at least one holds (must not be empty, to avoid an accidental "never")
 * - `{ not }`     negation
 * - `{ decision }` the answer (the decision of the rule the decision questions select) is one of these.
 *   Only for what follows the answer: tailoring questions, practice steps, conditions, records and
 *   follow-ups. Rules and decision questions cannot use it (crossCheck enforces this).
 */
export type Condition =
  | { q: string; in: string[] }
  | { answered: string }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { decision: DecisionCode[] };

export const ConditionSchema: z.ZodType<Condition, Condition> = z
  .lazy(() =>
    z.union([
      z.strictObject({ q: Id, in: z.array(Id).min(1) }),
      z.strictObject({ answered: Id }),
      z.strictObject({ all: z.array(ConditionSchema) }),
      z.strictObject({ any: z.array(ConditionSchema).min(1) }),
      z.strictObject({ not: ConditionSchema }),
      z.strictObject({ decision: z.array(z.enum(DECISIONS)).min(1) }),
    ]),
  )
  .meta({
    // Named, so the published JSON Schema calls it "Condition" ($defs/Condition).
    id: 'Condition',
    description:
      '{ "q": question, "in": [codes] } | { "answered": question } | { "all": [...] } | { "any": [...] } | { "not": ... } | { "decision": [decisions] }',
  });

export const CitationSchema = z.strictObject({ section: Text, heading: Text });

const Citations = z.array(CitationSchema).min(1, 'must cite at least one section of the guidance');

/** A piece of text shown to the practitioner, with where it comes from; `appliesWhen` narrows it to some answers. */
export const CitedTextSchema = z.strictObject({
  id: Id,
  text: Text,
  citations: Citations,
  appliesWhen: ConditionSchema.optional(),
});

/** Guidance wording shown outside the questionnaire (reminders, follow-up cards), with where it comes from. */
const GuidanceTextSchema = z.strictObject({ text: Text, citations: Citations });

/** A practice reminder a team channel can schedule ("remind practice <code> …"). */
export const PracticeReminderSchema = z.strictObject({ code: Id, title: Text, text: Text, citations: Citations });

/**
 * "Share now, record after": the card a practitioner reaches in two clicks when a child is at
 * immediate risk. Data, like every other text, so each pack cites its own sections; the steps never
 * depend on storage (the bot shows them even when nothing can be saved).
 */
export const UrgentShareSchema = z.strictObject({
  /** The 999 line, first on the card. */
  immediateDanger: Text,
  /** Why sharing now is allowed, cited. */
  summary: GuidanceTextSchema,
  /** Three or four steps: who, only what is necessary, verify the recipient, a secure channel. */
  steps: z
    .array(z.strictObject({ id: Id, text: Text, citations: Citations }))
    .min(3)
    .max(4),
  /** What to record afterwards, cited. */
  recordAfter: GuidanceTextSchema,
});

/** The guidance lines on the follow-up cards and the weekly digest of open follow-ups. */
export const FollowUpTextsSchema = z.strictObject({
  /** On "has the person been told?" (§4 Recording). */
  personNotTold: GuidanceTextSchema,
  /** On "consent withdrawn: tell everyone you shared with" (§1). */
  consentWithdrawn: GuidanceTextSchema,
  /** On the weekly digest of open follow-ups. */
  digest: GuidanceTextSchema,
});

export const OptionSchema = z.strictObject({ code: Id, label: Text, help: Text.optional() });

export const QuestionSchema = z.strictObject({
  id: Id,
  text: Text,
  help: Text.optional(),
  options: z.array(OptionSchema).min(2, 'a question needs at least two options'),
  citations: Citations,
  /** Asked only when this holds; may refer only to questions earlier in the pack. */
  askWhen: ConditionSchema.optional(),
  /**
   * 'decide' (default): the answer depends on it, so it is asked before the answer.
   * 'tailor': it only tailors the practice steps and the record, so it is asked after the answer is
   * known, and no rule may depend on it. All tailoring questions come after all decision questions.
   */
  phase: z.enum(['decide', 'tailor']).default('decide'),
});

export const RuleSchema = z.strictObject({
  id: Id,
  /** Rules are tried in array order; the first whose `when` holds decides. */
  when: ConditionSchema,
  decision: z.enum(DECISIONS),
  title: Text,
  summary: Text,
  reasons: z.array(CitedTextSchema).min(1, 'a rule needs at least one cited reason'),
  conditions: z.array(CitedTextSchema),
  /** Ids of practice steps; each is shown only if its own appliesWhen holds. */
  practiceSteps: z.array(Id),
  /** Record fields (ids of record requirements) the practitioner must fill in. */
  mustRecord: z.array(z.enum(RECORD_FIELD_CODES)),
  followUps: z.array(z.enum(FOLLOW_UP_CODES)),
});

export const RecordRequirementSchema = z.strictObject({
  field: z.enum(RECORD_FIELD_CODES),
  text: Text,
  citations: Citations,
  appliesWhen: ConditionSchema.optional(),
});

export const FollowUpSchema = z.strictObject({
  code: z.enum(FOLLOW_UP_CODES),
  text: Text,
  citations: Citations,
  appliesWhen: ConditionSchema.optional(),
});

/** A document the pack is written from: a local procedure, national guidance, an Act. */
export const SourceSchema = z.strictObject({
  title: Text.describe("The document's title, as published"),
  /** The part of it the pack draws on, when not the whole document. */
  section: Text.optional().describe('The part of the document the pack draws on, when not all of it'),
  /** When it was published or last updated: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'. */
  date: z
    .string()
    .regex(/^\d{4}(?:-\d{2}(?:-\d{2})?)?$/, "must look like '2015', '2015-10' or '2015-10-01'")
    .describe("Published or last updated: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'"),
  url: z.url().optional().describe('Where to read it'),
});

/**
 * 'published': in use, as adopted by the agency that wrote it. 'draft': written but not yet
 * reviewed (e.g. "for legal review"); a later change will mark every card made from a draft.
 */
export const PACK_STATUSES = ['published', 'draft'] as const;

export const MetadataSchema = z.strictObject({
  /** The pack's folder name and stable identity, e.g. '2015-local'; a tenant chooses a pack by it. */
  id: Id.describe("The pack's stable identity, the same as its folder name, e.g. '2015-local'"),
  /** '<guidance year>.<month>-r<pack revision>', e.g. '2015.10-r1'. Stored with every decision. */
  version: z
    .string()
    .regex(/^\d{4}\.\d{2}-r\d+$/, "must look like '2015.10-r1'")
    .describe(
      "'<guidance year>.<month>-r<revision>'. Bump the revision for ANY change: cards made under an older version ask the user to start again, and every record keeps the version it was decided under",
    ),
  title: Text.describe('What the pack is, as a reader would name it'),
  status: z.enum(PACK_STATUSES).describe("'published' (in use) or 'draft' (not yet reviewed)"),
  /** The documents the pack is written from. */
  sources: z.array(SourceSchema).min(1, 'must name at least one source document'),
  /** Every section/heading of the guidance; all citations in the pack must be one of these. */
  sections: z.array(CitationSchema).min(1),
  /** Where the 2015 guidance has since been overtaken by law or practice, for the next pack revision. */
  legalNotes: z.array(CitedTextSchema).min(1),
});

export const DerivationsSchema = z.strictObject({
  /** First matching entry gives the outcome's consent status (what §4 Recording requires). */
  consentStatus: z.array(z.strictObject({ when: ConditionSchema, status: z.enum(CONSENT_STATUSES) })),
  consentStatusDefault: z.enum(CONSENT_STATUSES),
  /** The question whose answer is the outcome's `channel`. */
  channelQuestion: Id,
  /** The question whose answer is the outcome's `recipient` (pre-fills the record form). */
  recipientQuestion: Id,
});

/**
 * What applies to every outcome by its own condition, whatever the rule: e.g. "verify an unknown
 * caller", "the same rules apply inside your organisation". A rule's own lists only add what is
 * specific to it. Each entry's `when` may use `{ decision }`; the item's own appliesWhen also applies.
 */
export const CrossCuttingSchema = z.strictObject({
  conditions: z.array(CitedTextSchema),
  practiceSteps: z.array(z.strictObject({ step: Id, when: ConditionSchema })),
  mustRecord: z.array(z.strictObject({ field: z.enum(RECORD_FIELD_CODES), when: ConditionSchema })),
  followUps: z.array(z.strictObject({ code: z.enum(FOLLOW_UP_CODES), when: ConditionSchema })),
});

export const RulePackSchema = z.strictObject({
  metadata: MetadataSchema,
  /** Appended to every outcome: immediate danger, and "this is decision support". */
  safetyLines: z.array(Text).min(2),
  questions: z.array(QuestionSchema).min(1),
  rules: z.array(RuleSchema).min(1),
  practiceSteps: z.array(CitedTextSchema),
  recordRequirements: z.array(RecordRequirementSchema),
  followUps: z.array(FollowUpSchema),
  practiceReminders: z.array(PracticeReminderSchema).min(1),
  followUpTexts: FollowUpTextsSchema,
  urgentShare: UrgentShareSchema,
  crossCutting: CrossCuttingSchema,
  derive: DerivationsSchema,
});

export type RulePackInput = z.input<typeof RulePackSchema>;
/** A pack that has passed the zod schema, before the reference cross-checks. */
export type ParsedRulePack = z.output<typeof RulePackSchema>;
/** A validated pack. `version` mirrors `metadata.version` for callers that only need the version. */
export type RulePack = ParsedRulePack & { readonly version: string };
export type Question = RulePack['questions'][number];
export type Rule = RulePack['rules'][number];
export type PackCitedText = z.output<typeof CitedTextSchema>;

/** Thrown by loadRulePack; `problems` lists every bad entry found, the message names them. */
export class RulePackError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid rule pack: ${problems.join('; ')}`);
    this.name = 'RulePackError';
  }
}

const ENTRY_NAMES: Record<string, string> = {
  questions: 'question',
  rules: 'rule',
  practiceSteps: 'practice step',
  recordRequirements: 'record requirement',
  followUps: 'follow-up',
  practiceReminders: 'practice reminder',
  legalNotes: 'legal note',
  steps: 'step',
  options: 'option',
  reasons: 'reason',
  conditions: 'condition text',
};

/** Turns a zod issue path into words naming the entry, e.g. `rule "share-x" (rules[3]) → decision`. */
function describeIssuePath(raw: unknown, path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  let node: unknown = raw;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const next =
      node !== null && typeof node === 'object'
        ? (node as Record<PropertyKey, unknown>)[key as PropertyKey]
        : undefined;
    if (typeof key === 'number') {
      const collection = String(path[i - 1] ?? '');
      const entryName = ENTRY_NAMES[collection] ?? 'entry';
      const rec = next !== null && typeof next === 'object' ? (next as Record<string, unknown>) : {};
      const label =
        typeof rec.id === 'string'
          ? rec.id
          : typeof rec.code === 'string'
            ? rec.code
            : typeof rec.field === 'string'
              ? rec.field
              : undefined;
      parts.pop();
      parts.push(label ? `${entryName} "${label}" (${collection}[${key}])` : `${entryName} ${collection}[${key}]`);
    } else {
      parts.push(String(key));
    }
    node = next;
  }
  return parts.length ? parts.join(' → ') : 'rule pack';
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Validates a raw pack (shape with zod, then references) and returns it deeply frozen, so no caller
 * can alter the rules a decision was made under.
 * @throws RulePackError naming each bad entry.
 */
export function loadRulePack(raw: unknown): RulePack {
  const parsed = RulePackSchema.safeParse(raw);
  if (!parsed.success) {
    throw new RulePackError(
      parsed.error.issues.map((issue) => `${describeIssuePath(raw, issue.path)}: ${issue.message}`),
    );
  }
  const problems = crossCheckRulePack(parsed.data);
  if (problems.length > 0) throw new RulePackError(problems);
  return deepFreeze({ ...parsed.data, version: parsed.data.metadata.version });
}
