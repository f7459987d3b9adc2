/**
 * The storage the bot's features use, bundled so features take one dependency. Interfaces only
 * (src/storage/contract.ts): the app wires the Table stores, the feature tests in-memory ones.
 */
import type {
  AuditStore,
  ConversationStore,
  DecisionStore,
  QuestionnaireSessionStore,
  ReminderStore,
  RoleStore,
  TenantSettingsStore,
} from '../storage/contract';

export interface BotStores {
  decisions: DecisionStore;
  /** Append-only record of what managers looked at and exported. */
  audit: AuditStore;
  /** Per-tenant manager/admin roles. */
  roles: RoleStore;
  /** Conversation references for proactive messages (reminders). */
  conversations: ConversationStore;
  /** Channel reminders and follow-up trackers the scheduler works through. */
  reminders: ReminderStore;
  /** Each practitioner's current questionnaire, so superseded cards are recognised. */
  sessions: QuestionnaireSessionStore;
  /** Each tenant's chosen rule pack and its approvals (ETag-conditional writes). */
  tenantSettings: TenantSettingsStore;
}
