/**
 * A practitioner's correction of their OWN record. Records are append-only (docs/storage-design.md):
 * a correction is a new entity of kind 'correction', linked to the record by parentId, holding the
 * corrected values, which fields they are, and the practitioner's reason. It is written with its
 * index rows in one transaction like any follow-up, and shown beside the original.
 *
 * Entitlement is checked against the TARGET record, re-read from storage in the clicking user's
 * tenant, on both clicks: only the practitioner who recorded it may correct it (a manager may not
 * correct someone else's record). Anyone else — and a record that does not exist — gets exactly the
 * same not-found answer, so a record id never confirms that the record exists.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  StorageUnavailableError,
  type CorrectableField,
  type NewRecord,
  type StoredRecord,
} from '../../../storage/contract';
import { DEFAULT_RULE_PACK_ID, rulePack, rulePackById } from '../../../domain';
import { CORRECTABLE_FIELDS } from '../../../storage/recordSchemas';
import { IdempotencyKeyInUseError } from '../../../storage/errors';
import { errorFields } from '../../../logger';
import { renderCard, type AdaptiveCard } from '../../cards/templates';
import { recordingCitations } from '../../cards/format';
import { plainCard, renderedOr } from '../../cards/fallback';
import { messageCard } from '../../kit/messageCard';
import { sameId } from '../../kit/ids';
import { VERBS } from '../../kit/verbs';
import {
  CORRECTABLE_FIELD_TITLES,
  CHANNEL_CHOICES,
  CONSENT_STATUS_CHOICES,
  DECIDER_ROLE_CHOICES,
  PURPOSE_CHOICES,
  RECIPIENT_AGENCY_CHOICES,
  SUBJECT_INFORMED_CHOICES,
} from '../../kit/choices';
import type { CardActionResult, Turn } from '../types';
import { FormSchema, MAX_REVIEW_DAYS, NOT_TOLD, blankToUndefined, dayAfter, freeText } from './recordForm';
import { MAX_FORM_INPUT } from './state';

const RecordId = z
  .string()
  .trim()
  .regex(/^D-\d{8}-[0-9A-Z]{6}$/i)
  .max(20);
const OpenSchema = z.object({ r: RecordId });
const SaveSchema = z.object({ r: RecordId, k: z.uuid() });

const input = z
  .string()
  .transform((s) => (s.length > MAX_FORM_INPUT ? s.slice(0, MAX_FORM_INPUT) : s))
  .optional();
const INPUT_IDS = [...CORRECTABLE_FIELDS, 'correctionReason'] as const;
/** The correction form's inputs as received (cut to a bound before anything else runs on them). */
const CorrectionInputSchema = z.object(
  Object.fromEntries(INPUT_IDS.map((f) => [f, input])) as Record<(typeof INPUT_IDS)[number], typeof input>,
);
type CorrectionInput = z.infer<typeof CorrectionInputSchema>;

const CorrectionSchema = FormSchema.omit({ caseReference: true }).extend({
  correctionReason: z.preprocess(blankToUndefined, freeText('Reason for the correction', 500).optional()),
});

/** One answer for "no such record" and "not yours". */
const CORRECTION_NOT_FOUND =
  'That record could not be found. Only the practitioner who recorded a decision can correct it.';

const NOT_SAVED =
  'NOT SAVED: the records store could not be reached, so the correction has not been recorded. Press "Add this correction" again in a moment.';

/** The target record, if it is a decision this user recorded in this tenant; otherwise undefined. */
async function myDecision(turn: Turn, id: string): Promise<StoredRecord | undefined> {
  const target = await turn.services.stores.decisions.get(turn.identity.scope.tenantId, id);
  if (!target || target.kind !== 'decision' || !sameId(target.decidedBy.aadObjectId, turn.identity.user.aadObjectId))
    return undefined;
  return target;
}

/** The record's current values, as the form shows them. */
function valuesOf(r: StoredRecord): CorrectionInput {
  const out: CorrectionInput = {};
  for (const f of CORRECTABLE_FIELDS) {
    const v = r[f];
    if (typeof v === 'string') out[f] = v;
  }
  return out;
}

/**
 * The correction form for `target`, pre-filled with its values (or those just submitted). `now` sets the review window.
 */
export function correctionCard(
  target: StoredRecord,
  now: Date,
  opts: { base?: StoredRecord; key?: string; values?: CorrectionInput; notice?: string } = {},
): AdaptiveCard {
  const v = { ...valuesOf(opts.base ?? target), ...(opts.values ?? {}) };
  const today = dayAfter(now, 0);
  // A review date already recorded may have passed: it stays acceptable unchanged (a changed one
  // must be from today), so the date input does not refuse the form for it.
  const reviewMin = v.reviewBy && v.reviewBy < today ? v.reviewBy : today;
  const form: Record<string, string> = {
    correctionReason: v.correctionReason ?? '',
    reviewMin,
    reviewMax: dayAfter(now, MAX_REVIEW_DAYS),
  };
  for (const f of CORRECTABLE_FIELDS) form[f] = v[f] ?? '';
  // The recording duty as the pack the record was decided under states it (the default if it is no longer installed).
  const pack = rulePackById(target.rulePackId ?? DEFAULT_RULE_PACK_ID) ?? rulePack;
  return renderCard('correction', {
    recordingCites: recordingCitations(pack.recordRequirements),
    record: { id: target.id },
    hasNotice: Boolean(opts.notice),
    notice: opts.notice ?? '',
    facts: [
      { title: 'Case reference', value: target.caseReference },
      { title: 'Recorded', value: `${target.recordedAt.slice(0, 16).replace('T', ' ')} UTC` },
    ],
    askRiskOfNotSharing:
      target.decision === 'share_without_consent_justified' ||
      target.riskOfNotSharing !== undefined ||
      target.consentStatus !== 'sought_obtained',
    askReasonForNotSharing: target.decision === 'do_not_share' || target.reasonForNotSharing !== undefined,
    form,
    choices: {
      purpose: PURPOSE_CHOICES,
      deciderRole: DECIDER_ROLE_CHOICES,
      consentStatus: CONSENT_STATUS_CHOICES,
      recipientAgency: RECIPIENT_AGENCY_CHOICES,
      channel: CHANNEL_CHOICES,
      subjectInformed: SUBJECT_INFORMED_CHOICES,
    },
    // A key per opened form: a double click records one correction; opening the form again allows another.
    saveData: { verb: VERBS.correctionSave, r: target.id, k: opts.key ?? randomUUID() },
  });
}

/**
 * The correction form shows the record's free text, so it is only ever opened in a personal chat
 * (answered before any lookup, so it says nothing about the record either).
 */
const PERSONAL_ONLY =
  'For privacy, records are corrected in a personal chat with me: open one and type **my decisions**.';
const isShared = (turn: Turn) => turn.identity.scope.conversationKind !== 'personal';

export async function onCorrectionOpen(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  if (isShared(turn)) return { message: PERSONAL_ONLY };
  const parsed = OpenSchema.safeParse(data);
  if (!parsed.success) return { message: CORRECTION_NOT_FOUND };
  const target = await myDecision(turn, parsed.data.r);
  if (!target) return { message: CORRECTION_NOT_FOUND };
  return { card: correctionCard(target, turn.services.now(), { base: (await currentOf(turn, target)).base }) };
}

type Checked =
  | { ok: true; fields: CorrectableField[]; values: Partial<NewRecord>; reason: string }
  | { ok: false; problems: string[] };

/**
 * The correction's reason and values, checked like the record form. `base` is the record as it
 * stands (its latest correction, or the decision itself): the fields that differ from it are the
 * ones corrected. A field the submission leaves out keeps its value; a blank one is cleared.
 */
function checkCorrection(target: StoredRecord, base: StoredRecord, submitted: CorrectionInput, now: Date): Checked {
  const parsed = CorrectionSchema.safeParse({ ...valuesOf(base), ...submitted });
  if (!parsed.success) return { ok: false, problems: [...new Set(parsed.error.issues.map((i) => i.message))] };
  const form = parsed.data;
  const problems: string[] = [];
  if (!form.correctionReason) problems.push('Reason: say why you are correcting the record.');
  const fields = CORRECTABLE_FIELDS.filter((f) => (form[f] ?? undefined) !== (base[f] ?? undefined));
  if (problems.length === 0 && fields.length === 0)
    problems.push('Nothing was changed: change the values that were wrong, then add the correction.');
  if (form.subjectInformed === 'not_informing' && !form.subjectNotInformedReason)
    problems.push('Why not told: say why the person will not be told.');
  if (form.purpose === 'other' && !form.purposeDetail)
    problems.push('Purpose: say in a few words what the purpose is.');
  if (target.decision === 'share_without_consent_justified' && !form.riskOfNotSharing)
    problems.push('Risk of not sharing: say what the risk would be if the information were not shared.');
  if (NOT_TOLD.has(form.subjectInformed)) {
    if (!form.reviewBy) problems.push('Review date: say when not telling the person will be reviewed.');
    else if (
      fields.includes('reviewBy') &&
      (form.reviewBy < dayAfter(now, 0) || form.reviewBy > dayAfter(now, MAX_REVIEW_DAYS))
    )
      problems.push(`Review date: choose a date from today to ${MAX_REVIEW_DAYS} days ahead.`);
  }
  if (problems.length) return { ok: false, problems };
  const { correctionReason, ...values } = form;
  return { ok: true, fields, values, reason: correctionReason! };
}

function pickStrings(data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) if (typeof value === 'string') out[key] = value;
  return out;
}

/** The record as it stands: its latest correction (newest first from byCase), or the decision itself. */
async function currentOf(
  turn: Turn,
  target: StoredRecord,
  key?: string,
): Promise<{ base: StoredRecord; replay?: StoredRecord }> {
  const history = await turn.services.stores.decisions.byCase(target.scope.tenantId, target.caseReference);
  const corrections = history.filter((r) => r.kind === 'correction' && r.parentId === target.id);
  // The same form pressed again (a double click, a retry): the correction it already made, which
  // must not become the base it is compared with ("nothing changed").
  const replay = key === undefined ? undefined : corrections.find((r) => r.idempotencyKey === key);
  return { base: corrections.find((r) => r !== replay) ?? target, ...(replay ? { replay } : {}) };
}

function doneCard(turn: Turn, target: StoredRecord, record: StoredRecord, created: boolean): CardActionResult {
  const title = created ? 'Correction recorded' : 'Correction already recorded';
  const text = `Recorded as ${record.id}, beside record ${target.id} (which is kept as it was). It shows with the original in **my decisions** and in a manager's case view.`;
  const fields = record.correctedFields?.map((f) => CORRECTABLE_FIELD_TITLES[f]).join(', ') ?? '';
  return {
    card: renderedOr(
      turn.services.logger,
      'message',
      () => messageCard(title, `${text}\n\nCorrected: ${fields}.`, { style: 'good' }),
      () => plainCard(title, [text]),
    ),
  };
}

export async function onCorrectionSave(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  if (isShared(turn)) return { message: PERSONAL_ONLY };
  const parsed = SaveSchema.safeParse(data);
  if (!parsed.success) return { message: CORRECTION_NOT_FOUND };
  const { logger } = turn.services;
  const key = parsed.data.k;
  let target: StoredRecord | undefined;
  let current: Awaited<ReturnType<typeof currentOf>>;
  try {
    // Entitlement first, against the record as stored now: nothing below may answer an outsider.
    target = await myDecision(turn, parsed.data.r);
    if (!target) return { message: CORRECTION_NOT_FOUND };
    current = await currentOf(turn, target, key);
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    logger.error({ event: 'correction.not_saved', err: errorFields(err) }, 'correction could not be saved');
    // A message, so the form (and what was typed on it) stays as it is.
    return { message: NOT_SAVED };
  }
  const { base, replay } = current;
  const submitted = CorrectionInputSchema.parse(pickStrings(data));
  if (replay) return doneCard(turn, target, replay, false);
  const checked = checkCorrection(target, base, submitted, turn.services.now());
  if (!checked.ok)
    return {
      card: correctionCard(target, turn.services.now(), {
        base,
        key,
        values: submitted,
        notice: `Not recorded yet — please check: ${checked.problems.join(' ')}`,
      }),
    };

  const { id: _id, recordedAt: _at, idempotencyKey: _key, ...original } = target;
  const correction: NewRecord = {
    ...original,
    ...checked.values,
    idempotencyKey: key,
    kind: 'correction',
    parentId: target.id,
    decidedBy: turn.identity.user,
    answers: {},
    correctionReason: checked.reason,
    correctedFields: checked.fields,
    // A correction opens no follow-ups of its own: those stay with the decision.
    openFollowUps: [],
  };
  // Fields cleared by the correction are absent from it, not carried over from the original.
  for (const f of CORRECTABLE_FIELDS) if (checked.values[f] === undefined) delete correction[f];
  let saved;
  try {
    saved = await turn.services.stores.decisions.record(correction, { idempotencyScope: `correction:${target.id}` });
  } catch (err) {
    if (err instanceof IdempotencyKeyInUseError)
      return {
        card: correctionCard(target, turn.services.now(), {
          base,
          values: submitted,
          notice: 'Not recorded yet: this form had already been used. Press "Add this correction" to add it.',
        }),
      };
    if (!(err instanceof StorageUnavailableError)) throw err;
    logger.error({ event: 'correction.not_saved', err: errorFields(err) }, 'correction could not be saved');
    return { card: correctionCard(target, turn.services.now(), { base, key, values: submitted, notice: NOT_SAVED }) };
  }
  const { record, created } = saved;
  logger.info(
    { event: 'correction.recorded', recordId: record.id, parentId: target.id, fields: checked.fields, created },
    'correction recorded',
  );
  return doneCard(turn, target, record, created);
}
