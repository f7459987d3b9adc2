/**
 * The storage contract: what the bot layer may ask of Table storage.
 *
 * Implementations live beside this file and use @azure/data-tables; the bot depends only on these
 * interfaces, so tests and features can be written against them.
 *
 * Records are append-only. A correction or follow-up is a new record linked to the first by
 * `parentId`; nothing is ever updated in place (see docs/storage-design.md).
 */
import type { Answers, ConsentStatus, DecisionCode, FollowUpCode } from '../domain/contract';

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

/** What a record entry is: the decision itself, or a later entry linked to one. */
export type RecordKind =
  | 'decision'
  /** subject has now been informed / will not be, and why */
  | 'follow_up_subject_informed'
  /** consent withdrawn for a case: recorded against the case reference */
  | 'consent_withdrawn'
  /** a recipient was told consent was withdrawn */
  | 'follow_up_party_informed'
  /** a correction of an earlier record (the earlier one stays) */
  | 'correction';

export type RecipientAgency =
  | 'childrens_social_care'
  | 'police'
  | 'health'
  | 'school_or_education'
  | 'adult_social_care'
  | 'probation'
  | 'housing'
  | 'voluntary_sector'
  | 'same_organisation'
  | 'other';

export type SubjectInformed = 'yes' | 'will_inform' | 'not_informing' | 'not_applicable';

export interface Practitioner {
  /** AAD object id (stable across display-name changes). */
  aadObjectId: string;
  /** Display name, as Teams gave it at the time. */
  name: string;
}

export interface ConversationScope {
  tenantId: string;
  conversationId: string;
  conversationKind: ConversationKind;
  /** Teams team id (channelData.team.id) when in a team channel. */
  teamId?: string;
  /** Teams channel id (channelData.channel.id) when in a team channel. */
  channelId?: string;
}

/** What the bot hands to storage to record. Everything here is what the guidance requires (§4 Recording). */
export interface NewRecord {
  /** Client-generated key carried in the card; a retried or double-clicked submit reuses it. */
  idempotencyKey: string;
  kind: RecordKind;
  /** For entries other than 'decision': the id of the decision they follow up. */
  parentId?: string;
  scope: ConversationScope;
  decidedBy: Practitioner;
  rulePackVersion: string;
  ruleId: string;
  decision: DecisionCode;
  /** The questionnaire answers, as codes. */
  answers: Answers;
  consentStatus: ConsentStatus;
  /** Required when shared without consent: why (§4). Plain words, no names. */
  reasonsWithoutConsent?: string;
  recipientAgency?: RecipientAgency;
  /** Role of the recipient (e.g. "duty social worker"), not a name. */
  recipientRole?: string;
  /** phone | email | secure_system | fax | in_person | post, as the rule pack codes it */
  channel?: string;
  /** What was shared, in outline. No names. */
  informationOutline?: string;
  subjectInformed: SubjectInformed;
  /** Why the subject will not be informed, when subjectInformed = 'not_informing'. */
  subjectNotInformedReason?: string;
  /** The agency's own case reference (no names). */
  caseReference: string;
  /** Follow-ups the outcome requires that are still open when this entry is written. */
  openFollowUps: FollowUpCode[];
}

export interface StoredRecord extends NewRecord {
  /** Record id: short, URL-safe, unique (e.g. 'D-20261126-7F3KQ2'). */
  id: string;
  /** ISO-8601 UTC time the record was written. */
  recordedAt: string;
}

export interface RecordQuery {
  tenantId: string;
  teamId?: string;
  /** Practitioner's AAD object id. */
  decidedBy?: string;
  caseReference?: string;
  decision?: DecisionCode;
  /** Inclusive lower bound, ISO-8601. */
  from?: string;
  /** Exclusive upper bound, ISO-8601. */
  to?: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque token for the next page; absent on the last page. */
  continuationToken?: string;
}

export interface RecordOptions {
  /**
   * What the idempotency key is bound to besides the user who minted it (e.g. the questionnaire
   * id): a retry must present the same value to be treated as the same submission.
   */
  idempotencyScope?: string;
}

export interface RecordResult {
  record: StoredRecord;
  /** false when this user's same submission (same key and scope) had already been recorded: that record is returned. */
  created: boolean;
}

/** Thrown when storage cannot be reached or refuses the write: the bot tells the user "not saved, try again". */
export class StorageUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

export interface DecisionStore {
  /**
   * Writes the record and its index entities in one transaction. Idempotent on idempotencyKey for
   * the user who minted it (decidedBy) and the same options.idempotencyScope; a key already used by
   * anyone else, or under another scope, throws IdempotencyKeyInUseError and writes nothing.
   */
  record(input: NewRecord, options?: RecordOptions): Promise<RecordResult>;
  get(tenantId: string, id: string): Promise<StoredRecord | undefined>;
  /** Newest first. Costs O(page size), not O(table). */
  query(q: RecordQuery, pageSize: number, continuationToken?: string): Promise<Page<StoredRecord>>;
  /** Every entry for one case (decisions and their follow-ups), newest first. */
  byCase(tenantId: string, caseReference: string): Promise<StoredRecord[]>;
}
