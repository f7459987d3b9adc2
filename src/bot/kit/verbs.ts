/**
 * Every card verb (Action.Execute `verb`, and the `verb` in the action's data that the Action.Submit
 * fallback sends), defined once. The templates in /cards carry the same names as literals;
 * test/unit/cards/verbs.test.ts checks that each of them is one of these and is registered by a
 * feature, and that each registered verb is on some card.
 */
export const VERBS = {
  // questionnaire
  start: 'start',
  restart: 'restart',
  answer: 'answer',
  back: 'back',
  record: 'record',
  correctionOpen: 'record.correct.open',
  correctionSave: 'record.correct.save',
  // records
  recordsPage: 'records.page',
  recordsApply: 'records.apply',
  recordsExport: 'records.export',
  // follow-ups
  subjectInformed: 'followUp.subjectInformed',
  partyInformed: 'followUp.partyInformed',
  withdrawalStatus: 'followUp.withdrawalStatus',
  // urgent share ("share now, record after"); its "Record the decision now" is `start` with the entry id
  urgentOpen: 'urgent.open',
  // channel reminders
  cancelReminder: 'reminder.cancel',
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];
