/**
 * The bot's cards for the scheduler (src/reminders stays free of card and transport code). It sits
 * beside the features, not in one, because it joins several: the reminders feature's practice and
 * digest cards, the follow-ups feature's "has the person been told?" card and the urgent feature's
 * "record the decision" reminder.
 */
import type { ReminderComposer } from '../reminders/scheduler';
import type { OutgoingMessage } from '../reminders/sender';
import type { AdaptiveCard } from './cards/templates';
import { adaptiveAttachment } from './cards/attachment';
import { subjectFollowUpCard } from './features/followUps/views';
import { digestCard, practiceCard } from './features/reminders/views';
import { urgentReminderCard } from './features/urgent/views';

const message = (card: AdaptiveCard, summary: string): OutgoingMessage => ({
  summary,
  attachments: [adaptiveAttachment(card)],
});

export const cardComposer: ReminderComposer = {
  practice(reminder) {
    const card = practiceCard(reminder);
    return card && message(card, 'Practice reminder');
  },
  digest(reminder, open, now) {
    return message(digestCard(reminder, open, now), 'Weekly digest: open follow-ups');
  },
  followUp(record, tracker, audience, now) {
    return message(subjectFollowUpCard(record, tracker, audience, now), 'Follow-up due: has the person been told?');
  },
  urgentFollowUp(entry, tracker) {
    return message(urgentReminderCard(entry, tracker), 'Follow-up due: record the decision for your urgent share');
  },
};
