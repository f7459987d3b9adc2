/** The storage the bot's features use, bundled so features take one dependency. */
import type { DecisionStore } from '../storage/contract';
import type { TableAuditStore } from '../storage/auditStore';
import type { TableRoleStore } from '../storage/roleStore';
import type { TableConversationStore } from '../storage/conversationStore';
import type { TableReminderStore } from '../storage/reminderStore';
import type { QuestionnaireSessionStore } from '../storage/questionnaireSessionStore';

export interface BotStores {
  decisions: DecisionStore;
  /** Append-only record of what managers looked at and exported. */
  audit: Pick<TableAuditStore, 'write' | 'list'>;
  /** Per-tenant manager/admin roles. */
  roles: Pick<TableRoleStore, 'getRole' | 'grant' | 'revoke' | 'list'>;
  /** Conversation references for proactive messages (reminders). */
  conversations: TableConversationStore;
  /** Channel reminders and follow-up trackers the scheduler works through. */
  reminders: TableReminderStore;
  /** Each practitioner's current questionnaire, so superseded cards are recognised. */
  sessions: QuestionnaireSessionStore;
}
