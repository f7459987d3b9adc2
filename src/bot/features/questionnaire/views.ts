/**
 * View models for the questionnaire cards. Each function returns the data a template in /cards
 * expands; the action data carries the questionnaire state (see state.ts).
 */
import { randomUUID } from 'node:crypto';
import type { AnswerHeadline, EngineResult, Outcome, Progress, QuestionView } from '../../../domain/contract';
import { renderCard, type AdaptiveCard } from '../../cards/templates';
import { VERBS } from '../../kit/verbs';
import { messageCard as kitMessageCard, type MessageStyle } from '../../kit/messageCard';
import { citeText, citedItems, recordingCitations, styleForDecision } from '../../cards/format';
import type { StoredRecord } from '../../../storage/contract';
import type { QuestionnaireState, RecordFormInput } from './state';
import {
  CHANNEL_CHOICES,
  CONSENT_STATUS_CHOICES,
  DECIDER_ROLE_CHOICES,
  PURPOSE_CHOICES,
  RECIPIENT_AGENCY_CHOICES,
  SUBJECT_INFORMED_CHOICES,
  recipientTitle,
  titleOf,
} from '../../kit/choices';
import { MAX_REVIEW_DAYS, dayAfter } from './recordForm';
import { caseNotesText, packLabel } from './caseNotes';
import { urgentOpenData } from '../../kit/urgentEntries';

/** Shown on cards in a group chat or channel: everyone there can see them. */
export const SHARED_CONVERSATION_NOTICE =
  'Everyone in this conversation can see this card. For a particular case, ask me in a personal chat instead.';

const restartData = (s: QuestionnaireState) => ({ verb: VERBS.restart, s: { ...s, a: {} } });

/** An answer code as the form's initial value, only if the form offers it as a choice. */
const prefill = (choices: ReadonlyArray<{ value: string }>, code: string | undefined) =>
  code !== undefined && choices.some((c) => c.value === code) ? code : '';

/**
 * The progress line. The engine's total is the most questions the phase can still take, so the
 * line says "at most" and is never exceeded; once the answer is shown, it counts the tailoring questions.
 */
export function progressLine(progress: Progress): string {
  return progress.phase === 'tailor'
    ? `Can I share? — the answer is ready; question ${progress.step} of at most ${progress.total} to tailor what to do`
    : `Can I share? — question ${progress.step} of at most ${progress.total}`;
}

export function questionCard(
  s: QuestionnaireState,
  question: QuestionView,
  progress: Progress,
  notice?: string,
  answer?: AnswerHeadline,
): AdaptiveCard {
  const done = Math.max(1, progress.step - 1);
  return renderCard('question', {
    progress: { ...progress, doneWeight: String(done), leftWeight: String(Math.max(1, progress.total - done)) },
    progressLine: progressLine(progress),
    // The question is shown once: as the choice set's label (its accessible name), not also as a heading.
    question,
    hasAnswer: Boolean(answer),
    answer: answer ?? { title: '', summary: '' },
    answerStyle: answer ? styleForDecision(answer.decision) : 'default',
    hasHelp: Boolean(question.help),
    hasNotice: Boolean(notice),
    notice: notice ?? '',
    citationText: citeText(question.citations),
    canGoBack: Object.keys(s.a).length > 0,
    nextData: { verb: VERBS.answer, s, q: question.id },
    backData: { verb: VERBS.back, s },
    restartData: restartData(s),
    // The urgent path, on the first question (not on one that is already recording an urgent share).
    canGoUrgent: Object.keys(s.a).length === 0 && s.u === undefined,
    urgentData: urgentOpenData(),
  });
}

/**
 * The purpose the answers already tell (pre-filled, still editable): a check, a disclosure-scheme
 * enquiry, or the grounds the practitioner gave for sharing. Nothing is guessed from other answers.
 */
export function purposeFromAnswers(a: Readonly<Record<string, string>>): string {
  if (a.route === 'making_checks') return 's17_s47_check';
  if (a.route === 'offending_history_enquiry' || a.disclosure_scheme !== undefined) return 'disclosure_scheme';
  const grounds = a.grounds ?? a.adult_grounds;
  if (grounds === 'serious_crime') return 'prevent_detect_crime';
  if (
    grounds === 'significant_harm_evidence' ||
    grounds === 'significant_harm_reasonable_cause' ||
    grounds === 'prevent_serious_harm'
  )
    return 'safeguarding_child';
  if (grounds === 'no_specific_concern') return 'continuity_of_care';
  return '';
}

export function outcomeCard(
  s: QuestionnaireState,
  outcome: Outcome,
  opts: { idempotencyKey?: string; notice?: string; values?: RecordFormInput; now?: Date } = {},
): AdaptiveCard {
  const fields = new Set(outcome.mustRecord.map((r) => r.field));
  const values = opts.values ?? {};
  const now = opts.now ?? new Date();
  return renderCard('outcome', {
    outcome,
    style: styleForDecision(outcome.decision),
    hasNotice: Boolean(opts.notice),
    notice: opts.notice ?? '',
    reasons: citedItems(outcome.reasons),
    conditions: citedItems(outcome.conditions),
    practiceSteps: citedItems(outcome.practiceSteps),
    followUps: outcome.followUps.map((f) => ({ text: f.text, cites: citeText(f.citations) })),
    safetyLines: outcome.safetyLines,
    recordingCites: recordingCitations(outcome.mustRecord),
    form: {
      askReasons: fields.has('reasonsWithoutConsent'),
      askRecipient: fields.has('recipient'),
      askChannel: fields.has('channel'),
      askOutline: fields.has('informationOutline'),
      // Asked wherever the reasons for sharing without consent are (required when consent was not given).
      askRiskOfNotSharing:
        fields.has('reasonsWithoutConsent') || outcome.decision === 'share_without_consent_justified',
      askReasonForNotSharing: outcome.decision === 'do_not_share',
      reviewMin: dayAfter(now, 0),
      reviewMax: dayAfter(now, MAX_REVIEW_DAYS),
      caseReference: values.caseReference ?? '',
      consentStatus: values.consentStatus ?? outcome.consentStatus,
      reasonsWithoutConsent: values.reasonsWithoutConsent ?? '',
      // Pre-filled from the questionnaire's answers (asked once, after the answer); still editable.
      recipientAgency: values.recipientAgency ?? prefill(RECIPIENT_AGENCY_CHOICES, outcome.recipient),
      recipientRole: values.recipientRole ?? '',
      channel: values.channel ?? prefill(CHANNEL_CHOICES, outcome.channel),
      informationOutline: values.informationOutline ?? '',
      subjectInformed: values.subjectInformed ?? '',
      subjectNotInformedReason: values.subjectNotInformedReason ?? '',
      purpose: values.purpose ?? prefill(PURPOSE_CHOICES, purposeFromAnswers(s.a) || undefined),
      purposeDetail: values.purposeDetail ?? '',
      riskOfNotSharing: values.riskOfNotSharing ?? '',
      reasonForNotSharing: values.reasonForNotSharing ?? '',
      deciderRole: values.deciderRole ?? '',
      reviewBy: values.reviewBy ?? '',
    },
    choices: {
      purpose: PURPOSE_CHOICES,
      deciderRole: DECIDER_ROLE_CHOICES,
      consentStatus: CONSENT_STATUS_CHOICES,
      recipientAgency: RECIPIENT_AGENCY_CHOICES,
      channel: CHANNEL_CHOICES,
      subjectInformed: SUBJECT_INFORMED_CHOICES,
    },
    // The idempotency key is minted once per outcome card and kept across retries of the same card.
    recordData: { verb: VERBS.record, s, k: opts.idempotencyKey ?? randomUUID() },
    backData: { verb: VERBS.back, s },
    restartData: restartData(s),
  });
}

/** The next card for an engine result: a question or the outcome. */
export function cardFor(s: QuestionnaireState, result: EngineResult, notice?: string, now?: Date): AdaptiveCard {
  return result.kind === 'question'
    ? questionCard(s, result.question, result.progress, notice, result.answer)
    : outcomeCard(s, result.outcome, { notice, now });
}

/**
 * The confirmation. `shared`: the card is in a group chat or channel, where everyone sees it — then
 * it carries no free text (the case-notes text holds the reasons and outline) and no correction
 * form is opened from it; both are for a personal chat.
 */
export function recordedCard(
  s: QuestionnaireState,
  record: StoredRecord,
  outcome: Outcome,
  alreadyRecorded: boolean,
  opts: { shared?: boolean; guidance?: string } = {},
): AdaptiveCard {
  const facts = [
    { title: 'Decision', value: outcome.title },
    { title: 'Case reference', value: record.caseReference },
    { title: 'Consent', value: titleOf(CONSENT_STATUS_CHOICES, record.consentStatus) ?? '—' },
    { title: 'Recipient', value: recipientTitle(record) ?? '—' },
    { title: 'Channel', value: titleOf(CHANNEL_CHOICES, record.channel) ?? '—' },
    { title: 'Purpose', value: titleOf(PURPOSE_CHOICES, record.purpose) ?? '—' },
    { title: 'Your role', value: titleOf(DECIDER_ROLE_CHOICES, record.deciderRole) ?? '—' },
    { title: 'Person told', value: titleOf(SUBJECT_INFORMED_CHOICES, record.subjectInformed) ?? '—' },
    ...(record.reviewBy ? [{ title: 'Review by', value: record.reviewBy }] : []),
    ...(record.urgentEntryId
      ? [{ title: 'Urgent entry', value: `${record.urgentEntryId} (its follow-up is closed)` }]
      : []),
    { title: 'Recorded', value: `${record.recordedAt.slice(0, 16).replace('T', ' ')} UTC` },
    { title: 'Guidance', value: `Rule ${record.ruleId}, pack ${packLabel(record)}` },
  ];
  return renderCard('recorded', {
    record,
    facts,
    hasNotice: alreadyRecorded,
    notice: alreadyRecorded ? 'This decision had already been recorded; nothing was saved twice.' : '',
    followUps: outcome.followUps
      .filter((f) => record.openFollowUps.includes(f.code))
      .map((f) => ({ text: f.text, cites: citeText(f.citations) })),
    safetyLine: outcome.safetyLines[0] ?? '',
    personal: !opts.shared,
    caseNotes: opts.shared ? '' : caseNotesText(record, outcome, opts.guidance),
    correctData: { verb: VERBS.correctionOpen, r: record.id },
    restartData: restartData(s),
  });
}

/** The kit's message card, with a "Start again" button for questionnaire `restartFor` if given. */
export function messageCard(
  title: string,
  text: string,
  opts: { style?: MessageStyle; restartFor?: QuestionnaireState } = {},
): AdaptiveCard {
  return kitMessageCard(title, text, {
    style: opts.style,
    restartData: opts.restartFor ? restartData(opts.restartFor) : undefined,
  });
}
