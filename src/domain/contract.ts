/**
 * The domain contract: the shapes that the bot and storage layers rely on.
 *
 * The domain (rule pack, engine, questionnaire) is pure TypeScript: it imports nothing from
 * botbuilder or Azure, so it can be tested directly and reused by any transport.
 *
 * Answers are *codes* (question id → option code), never free text, so a stored decision can be
 * replayed against the rule pack version it was made under.
 */

/**
 * A reference to a section of the local guidance, e.g. { section: '4', heading: 'Routine Checks - s.17 & 47 Enquiries'
 * }.
 */
export interface Citation {
  /** Section number as the guidance numbers it: '1' … '7', or '5.1', '5.2', '5.3'. */
  section: string;
  /** The heading (or sub-heading) inside that section. */
  heading: string;
}

/** Question id → chosen option code. */
export type Answers = Readonly<Record<string, string>>;

export interface QuestionOption {
  code: string;
  label: string;
  /** Optional one-line explanation shown under the choice. */
  help?: string;
}

export interface QuestionView {
  id: string;
  text: string;
  help?: string;
  options: QuestionOption[];
  citations: Citation[];
}

export interface Progress {
  /**
   * 'decide': questions that decide the answer; 'tailor': the answer is known, and these questions
   * only tailor the practice steps and pre-fill the record. Steps are counted within the phase.
   */
  phase: 'decide' | 'tailor';
  /** 1-based number of the question being asked, within its phase. */
  step: number;
  /**
   * The most questions this phase can still take, counting those answered: a bound, never exceeded
   * (step ≤ total, and total never grows as answers are added).
   */
  total: number;
}

/** The answer, once the decision questions have settled it (shown while tailoring questions remain). */
export interface AnswerHeadline {
  ruleId: string;
  decision: DecisionCode;
  title: string;
  summary: string;
}

/** Decision codes. The bot maps each to a colour/icon; storage keeps the code. */
export const DECISIONS = [
  'share_with_consent',
  'share_not_confidential_or_authorised',
  'share_legal_obligation',
  'share_without_consent_justified',
  'seek_consent_first',
  'do_not_share',
  'seek_advice',
  'police_disclosure_scheme',
  'contact_originating_agency',
] as const;
export type DecisionCode = (typeof DECISIONS)[number];

export interface CitedText {
  id: string;
  text: string;
  citations: Citation[];
}

/** What the practitioner must write down, per §4 Recording of Information Sought and Shared. */
export type RecordFieldCode =
  | 'consentStatus'
  | 'reasonsWithoutConsent'
  | 'recipient'
  | 'channel'
  | 'informationOutline'
  | 'subjectInformed'
  | 'caseReference';

export interface RecordRequirement {
  field: RecordFieldCode;
  text: string;
  citations: Citation[];
}

/** A follow-up the guidance requires after the decision (e.g. inform the subject later). */
export type FollowUpCode = 'inform_subject_later' | 'inform_all_parties_consent_withdrawn';

export interface FollowUpRequirement {
  code: FollowUpCode;
  text: string;
  citations: Citation[];
}

export type ConsentStatus = 'sought_obtained' | 'sought_refused' | 'not_sought' | 'withdrawn';

export interface Outcome {
  /** Id of the rule that fired. */
  ruleId: string;
  decision: DecisionCode;
  /** Short headline, e.g. "Share without consent — justified". */
  title: string;
  /** One or two plain sentences. */
  summary: string;
  reasons: CitedText[];
  conditions: CitedText[];
  practiceSteps: CitedText[];
  mustRecord: RecordRequirement[];
  followUps: FollowUpRequirement[];
  /** Consent status implied by the answers (what §4 says must be recorded). */
  consentStatus: ConsentStatus;
  /** The share channel chosen in the answers, if the path asked for one. */
  channel?: string;
  /** The other party's agency chosen in the answers, if the path asked for it (pre-fills the record form). */
  recipient?: string;
  /** Always present: immediate danger → 999; decision support → ask manager / legal / Caldicott Guardian. */
  safetyLines: string[];
  /** Every section cited anywhere in this outcome (deduplicated), for the record. */
  citations: Citation[];
}

export type EngineResult =
  /** `answer` is present once the answer is known and only tailoring questions remain. */
  | { kind: 'question'; question: QuestionView; progress: Progress; answers: Answers; answer?: AnswerHeadline }
  | { kind: 'outcome'; outcome: Outcome; answers: Answers };

/** Why a set of answers was refused (tampered or stale card data). */
export class InvalidAnswersError extends Error {
  constructor(
    message: string,
    readonly questionId?: string,
  ) {
    super(message);
    this.name = 'InvalidAnswersError';
  }
}
