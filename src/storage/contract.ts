/**
 * The storage contract: what the bot layer may ask of Table storage.
 *
 * The Table implementations live beside this file and use @azure/data-tables; the bot and the
 * schedulers depend only on these interfaces, so the feature tests can run them on in-memory stores.
 *
 * Records are append-only. A follow-up (the person told, consent withdrawn, a recipient told) is a
 * new record linked to the decision by `parentId`; nothing is ever updated in place (see
 * docs/storage-design.md).
 */
import type { Answers, ConsentStatus, DecisionCode, FollowUpCode } from '../domain/contract';
import type { AuditEntry, NewAuditEntry } from './auditStore';
import type { ConversationMeta, StoredConversation, StoredConversationReference } from './conversationStore';
import type { ClaimResult, DeliveryClaim, DeliveryState } from './deliveryStore';
import type { PurgeCounts, PurgeLimits } from './retention';
import type { AcquireResult, Lease } from './leaseStore';
import type { CurrentQuestionnaire } from './questionnaireSessionStore';
import type {
  FollowUpTracker,
  NewFollowUpTracker,
  NewScheduledReminder,
  ReminderItem,
  ScheduledReminder,
} from './reminderStore';
import type { Role, RoleGrant } from './roleStore';
import type { SaveSettingsResult, TenantSettings, TenantSettingsChange } from './tenantSettingsStore';

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
  /** the practitioner's own correction of their record: the corrected values, and why */
  | 'correction'
  /**
   * "Share now, record after": who pressed the urgent action, when and where — no case, no names,
   * no free text. A later decision carrying its id in `urgentEntryId` records the decision.
   */
  | 'urgent_share';

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

/** Why the information is (or would be) shared: a short code, never free text. */
export type SharingPurpose =
  | 'safeguarding_child'
  | 's17_s47_check'
  | 'prevent_detect_crime'
  | 'disclosure_scheme'
  | 'continuity_of_care'
  | 'other';

/** The fields a correction may carry new values for (the record's identity and case stay as they were). */
export type CorrectableField =
  | 'consentStatus'
  | 'reasonsWithoutConsent'
  | 'recipientAgency'
  | 'recipientRole'
  | 'channel'
  | 'informationOutline'
  | 'subjectInformed'
  | 'subjectNotInformedReason'
  | 'purpose'
  | 'purposeDetail'
  | 'riskOfNotSharing'
  | 'reasonForNotSharing'
  | 'deciderRole'
  | 'reviewBy';

/** The decider's role (never their name: the Entra object id is in decidedBy). */
export type DeciderRole =
  | 'designated_safeguarding_lead'
  | 'social_worker'
  | 'teacher'
  | 'health_visitor'
  | 'school_nurse'
  | 'gp_or_health_professional'
  | 'police_officer'
  | 'early_help_worker'
  | 'other';

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
  /** The rule pack the decision was made under (absent on records written before packs were chosen: '2015-local'). */
  rulePackId?: string;
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
  /** The purpose of the sharing (absent on records written before it was asked). */
  purpose?: SharingPurpose;
  /** A few words on the purpose, optional ("other" needs them). No names. */
  purposeDetail?: string;
  /** Share without consent: the risk to the child or others if it were not shared. */
  riskOfNotSharing?: string;
  /** Decision not to share: the reason for not sharing. */
  reasonForNotSharing?: string;
  /** The decider's role, not their name. */
  deciderRole?: DeciderRole;
  /** The person was not told: when that will be reviewed (YYYY-MM-DD, UTC day). */
  reviewBy?: string;
  /** kind 'correction': why the practitioner corrected their record. */
  correctionReason?: string;
  /** kind 'correction': which fields it corrects (their values are this entry's own). */
  correctedFields?: CorrectableField[];
  /** Follow-ups the outcome requires that are still open when this entry is written. */
  openFollowUps: FollowUpCode[];
  /** kind 'decision': the practitioner's own 'urgent_share' entry this decision records (share now, record after). */
  urgentEntryId?: string;
}

/** The pack of records written before tenants chose packs: every one of them was decided under the 2015 chapter. */
export const LEGACY_RULE_PACK_ID = '2015-local';
/** The pack a record was decided under. */
export const rulePackIdOf = (record: Pick<NewRecord, 'rulePackId'>): string => record.rulePackId ?? LEGACY_RULE_PACK_ID;

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

// ---- the other stores the bot and the schedulers use ------------------------------------------
// Each has a Table implementation beside this file (Table…Store) and an in-memory one for the
// fast feature tests (test/support/memoryStores.ts); the same contract tests run against both.

/** Append-only audit of what managers looked at and exported, newest first per tenant. */
export interface AuditStore {
  write(input: NewAuditEntry): Promise<AuditEntry>;
  /** The most recent `limit` entries (1–1000), newest first. */
  list(tenantId: string, limit?: number): Promise<AuditEntry[]>;
}

/** Per-tenant manager/admin roles; no grant means an ordinary practitioner. */
export interface RoleStore {
  getRole(tenantId: string, aadObjectId: string): Promise<Role | undefined>;
  /** Grants (or changes) a role; granting again simply overwrites. */
  grant(tenantId: string, aadObjectId: string, role: Role, grantedBy?: string): Promise<RoleGrant>;
  /** False when there was no role to revoke. */
  revoke(tenantId: string, aadObjectId: string): Promise<boolean>;
  list(tenantId: string): Promise<RoleGrant[]>;
}

/**
 * Per-tenant settings (the chosen rule pack, its approvals). Writes are ETag-conditional: save()
 * with the etag that get() returned (undefined when there was no row) changes exactly that version
 * of the row, or answers 'conflict' and writes nothing.
 */
export interface TenantSettingsStore {
  get(tenantId: string): Promise<TenantSettings | undefined>;
  save(tenantId: string, change: TenantSettingsChange, expectedEtag: string | undefined): Promise<SaveSettingsResult>;
}

/** Conversation references for proactive messages (reminders, follow-up nudges). */
export interface ConversationStore {
  /** Saves (or refreshes) the reference and marks the conversation active again. */
  upsert(tenantId: string, reference: StoredConversationReference, meta: ConversationMeta): Promise<StoredConversation>;
  /** Stops proactive sends to it. False when unknown. */
  markInactive(tenantId: string, conversationId: string, reason: string): Promise<boolean>;
  get(tenantId: string, conversationId: string): Promise<StoredConversation | undefined>;
  /** Active conversations of one tenant, or of every tenant (background jobs). */
  listActive(tenantId?: string): AsyncGenerator<StoredConversation>;
}

/** Channel reminders, follow-up trackers and the follow-up discovery watermark. */
export interface ReminderStore {
  createSchedule(input: NewScheduledReminder): Promise<ScheduledReminder>;
  getSchedule(tenantId: string, scheduleId: string): Promise<ScheduledReminder | undefined>;
  /** Active reminders of one tenant, optionally of one channel, oldest first. */
  listSchedules(tenantId: string, conversationId?: string): Promise<ScheduledReminder[]>;
  /** Cancels (keeps the row, inactive). False when there is no such reminder. */
  cancelSchedule(tenantId: string, scheduleId: string, cancelledBy: string): Promise<boolean>;
  /** Starts tracking a follow-up; false when it was already tracked. */
  ensureFollowUp(input: NewFollowUpTracker): Promise<boolean>;
  getFollowUp(tenantId: string, recordId: string): Promise<FollowUpTracker | undefined>;
  closeFollowUp(tenantId: string, recordId: string, reason: string): Promise<void>;
  /** Open follow-ups of a tenant (optionally one team's), oldest due first. */
  listOpenFollowUps(tenantId: string, teamId?: string): Promise<FollowUpTracker[]>;
  /** Every active item (any tenant) whose next run is at or before `at`. */
  due(at: Date): AsyncGenerator<ReminderItem>;
  /** Moves an item past the run at `runAt` (conditional on nextRunAt still being runAt). */
  advance(
    item: ReminderItem,
    runAt: string,
    nextRunAt: string | undefined,
    opts?: { countReminder?: boolean },
  ): Promise<boolean>;
  getWatermark(tenantId: string): Promise<string | undefined>;
  setWatermark(tenantId: string, readTo: string): Promise<void>;
}

/** Which questionnaire is a practitioner's current one, and which message shows it. */
export interface QuestionnaireSessionStore {
  /** Makes `next` the user's current questionnaire; returns the one it supersedes, if any. */
  replace(
    tenantId: string,
    aadObjectId: string,
    next: CurrentQuestionnaire,
    at: Date,
  ): Promise<CurrentQuestionnaire | undefined>;
  /** The user's current questionnaire, if any. */
  current(tenantId: string, aadObjectId: string): Promise<CurrentQuestionnaire | undefined>;
}

/** "Exactly one instance works on this key right now" (ETag-conditional, wall clock). */
export interface LeaseStore {
  acquire(key: string, owner: string, ttlMs: number): Promise<AcquireResult>;
  /** The renewed lease, or undefined when it was lost. */
  renew(lease: Lease, ttlMs: number): Promise<Lease | undefined>;
  /** Marks the work done (never redone). False if the lease was lost. */
  complete(lease: Lease): Promise<boolean>;
  /** Gives the lease up early (expires now). */
  release(lease: Lease): Promise<void>;
}

/** One claim per (run, conversation), so a reminder run is sent at most once to each conversation. */
export interface DeliveryStore {
  claim(runId: string, conversationId: string, owner: string): Promise<ClaimResult>;
  /** Records what the connector said. False when the row was changed by someone else. */
  finish(
    claim: DeliveryClaim,
    state: Exclude<DeliveryState, 'sending'>,
    info?: { status?: number; activityId?: string },
  ): Promise<boolean>;
}

/** The retention purge: deletes entries recorded before the cutoff, within the run's limits. */
export interface RetentionPurge {
  purge(cutoff: Date, limits: PurgeLimits): Promise<PurgeCounts>;
}
