/**
 * Browser e2e: features beyond the questionnaire in the Agents Playground — a scheduled practice
 * reminder posted to a team channel, a manager's queries in the personal chat, and the
 * questionnaire in a group chat. Run alone with:
 *   node --import tsx --test test/e2e/teamFeatures.test.ts
 *
 * The bot runs with the reminder scheduler on and ticking every second. Channel reminders may fire
 * at most once an hour, so the reminder is set "daily HH:MM" for the next whole minute (Europe/London):
 * 10 to 70 s ahead. The file's first test sets it up; the manager and group-chat tests run while
 * that minute comes (without reloading the page, which would forget a post that arrived meanwhile:
 * the Playground keeps each conversation's messages while another is shown); its last test waits
 * for the post in the channel.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SHARED_CONVERSATION_NOTICE } from '../../src/bot/features/questionnaire/views';
import { DEFAULT_TIMEZONE, formatLocal } from '../../src/reminders/schedule';
import { STEP_TIMEOUT_MS, startE2eStack, type E2eStack } from '../support/playground';
import {
  PLAYGROUND_USER_AAD_ID,
  POLICE_SCHEME_PATH,
  answerPath,
  assertNoPlaygroundWarnings,
  firstQuestionText,
  grantManagerRole,
  openPersonalChat,
  questionAfter,
  readRecord,
  recordShareWithoutConsent,
  startQuestionnaire,
} from './flows';

/** Time to type and send the command before the minute it names begins. */
const SET_UP_MARGIN_MS = 10_000;

/**
 * The next whole minute at least SET_UP_MARGIN_MS away, and how the bot's schedules write it ("HH:MM", Europe/London).
 */
function nextMinute(): { at: Date; hhmm: string } {
  const at = new Date(Math.ceil((Date.now() + SET_UP_MARGIN_MS) / 60_000) * 60_000);
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: DEFAULT_TIMEZONE,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: 'hour' | 'minute') => parts.find((p) => p.type === type)!.value;
  return { at, hhmm: `${part('hour')}:${part('minute')}` };
}

describe('team features in the Teams Playground', () => {
  let stack: E2eStack;
  before(async () => {
    stack = await startE2eStack('team-features', {
      botEnv: { REMINDERS_ENABLED: 'true', REMINDER_TICK_CRON: '* * * * * *' },
    });
  });
  after(async () => {
    await stack?.stop();
  });

  /** The reminder the first test sets up, and the minute it is due: the last test waits for its post. */
  let due: { id: string; fire: { at: Date; hhmm: string } } | undefined;

  test('a practice reminder set in a team channel is due at the coming minute', async () => {
    const pg = stack.playground;
    await openPersonalChat(pg);
    await pg.switchConversation('team channel');

    const fire = nextMinute();
    await pg.sendMessage(`remind practice verify-callers daily ${fire.hhmm}`);
    const setUp = await pg.waitForCardText(/Set up R-[0-9A-Z]{5}/);
    const reminderId = /Set up (R-[0-9A-Z]{5})/.exec(await setUp.innerText())?.[1];
    assert.ok(reminderId, 'the list card names the new reminder');
    // First one at the coming minute (not tomorrow: the command arrived in time, and no clock change got in the way).
    await pg.waitForCardText(`First one: ${formatLocal(fire.at)}`, { card: setUp });
    due = { id: reminderId, fire };

    await assertNoPlaygroundWarnings(pg);
  });

  test('a manager finds a recorded decision with "recent decisions" and "case" in the personal chat', async () => {
    const pg = stack.playground;
    await pg.switchConversation('personal');
    await startQuestionnaire(pg);
    const caseRef = 'CSC-2026-00777';
    const recordId = await recordShareWithoutConsent(pg, caseRef);

    // The Playground's user is an ordinary practitioner until given the role.
    await pg.sendMessage('recent decisions');
    await pg.waitForCardText('Managers only');

    // Its tenant and user ids, as the bot saw them in the activities, are on the record.
    const record = await readRecord(stack.connectionString, recordId);
    assert.equal(record.decidedBy.aadObjectId, PLAYGROUND_USER_AAD_ID);
    await grantManagerRole(stack.connectionString, record.scope.tenantId, record.decidedBy.aadObjectId);

    await pg.sendMessage('recent decisions');
    const recent = await pg.waitForCardText('Recent decisions');
    await pg.waitForCardText(recordId, { card: recent });
    await pg.waitForCardText(/rows 1–\d+, newest first/, { card: recent });
    await pg.screenshot('manager-recent-decisions');

    await pg.sendMessage(`case ${caseRef}`);
    const byCase = await pg.waitForCardText(`Case ${caseRef}`);
    await pg.waitForCardText(recordId, { card: byCase });
    await pg.waitForCardText('rows 1–1, newest first', { card: byCase });
    await pg.screenshot('manager-case');

    await assertNoPlaygroundWarnings(pg);
  });

  test('in a group chat the bot answers an @mention, and its cards warn that everyone can see them', async () => {
    const pg = stack.playground;
    await pg.switchConversation('group chat');
    await pg.sendMessage('start');
    await pg.waitForCardText(firstQuestionText());
    await pg.waitForCardText(SHARED_CONVERSATION_NOTICE);

    await answerPath(pg, { route: POLICE_SCHEME_PATH.route });
    const next = questionAfter({ route: POLICE_SCHEME_PATH.route });
    assert.ok(next, 'the first answer leads to another question');
    await pg.waitForCardText(next.question.text);
    await pg.waitForCardText(SHARED_CONVERSATION_NOTICE);
    await pg.screenshot('group-chat-question');

    await assertNoPlaygroundWarnings(pg);
  });

  test('the practice reminder is posted in the channel on schedule, then listed and cancelled', async () => {
    assert.ok(due, 'the first test set up the reminder');
    const { id: reminderId, fire } = due;
    const pg = stack.playground;
    await pg.switchConversation('team channel');

    // The scheduler starts a new post in the channel (the newest thread) with the practice card.
    const waitMs = fire.at.getTime() - Date.now() + STEP_TIMEOUT_MS;
    const post = await pg.waitForCardText('Practice reminder', { timeoutMs: waitMs });
    await pg.waitForCardText('Verify callers before you share', { card: post });
    await pg.waitForCardText(reminderId, { card: post });
    await pg.screenshot('channel-practice-reminder');

    // "reminders" lists it with a Cancel button; Cancel replaces the list in place.
    await pg.sendMessage('reminders');
    const list = await pg.waitForCardText('Reminders in this channel');
    await pg.waitForCardText(reminderId, { card: list });
    await pg.clickOnCard('Cancel', { card: list });
    await pg.waitForCardText(`Cancelled ${reminderId}`, { card: list });
    await pg.waitForCardText('No reminders are set up in this channel', { card: list });
    await pg.screenshot('channel-reminder-cancelled', { card: list });

    await assertNoPlaygroundWarnings(pg);
  });
});
