/**
 * Browser e2e: moving around the questionnaire (Back, Start over), an out-of-date card, and the bot
 * in a team channel. Run alone with:
 *   node --import tsx --test test/e2e/navigation.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SHARED_CONVERSATION_NOTICE } from '../../src/bot/features/questionnaire/views';
import { startE2eStack, type E2eStack } from '../support/playground';
import {
  POLICE_SCHEME_PATH,
  SHARE_WITHOUT_CONSENT_PATH,
  answerPath,
  assertNoPlaygroundWarnings,
  expectDecision,
  firstQuestionText,
  labelOf,
  openPersonalChat,
  questionAfter,
  startQuestionnaire,
} from './flows';

function questionText(answers: Record<string, string>): string {
  const next = questionAfter(answers);
  assert.ok(next, `the answers ${JSON.stringify(answers)} reach an outcome, not a question`);
  return next.question.text;
}

describe('questionnaire navigation in the Teams Playground', () => {
  let stack: E2eStack;
  before(async () => {
    stack = await startE2eStack('navigation');
  });
  after(async () => {
    await stack?.stop();
  });

  test('Back goes to the previous question, also from the outcome; Start over begins again', async () => {
    const pg = stack.playground;
    await openPersonalChat(pg);
    await startQuestionnaire(pg);

    // No Back on the first question.
    assert.equal(await pg.latestCard().getByRole('button', { name: 'Back', exact: true }).count(), 0);

    // Two answers in, Back returns to the second question with its answer cleared. (Checks about a child:
    // the answer to the second question decides the branch.)
    const twoIn = await answerPath(pg, { route: 'making_checks', about: 'child_health_development_harm' });
    await pg.waitForCardText(questionText(twoIn));
    await pg.clickOnCard('Back');
    await pg.waitForCardText(questionText({ route: twoIn.route! }));
    await pg.waitForCardText('question 2 of at most');
    assert.equal(
      await pg.latestCard().getByRole('radio', { checked: true }).count(),
      0,
      'no answer is pre-selected after Back',
    );

    // A different answer there takes the other branch: checks about something not concerning a child.
    await pg.chooseOption(labelOf('about', 'other'));
    await pg.clickOnCard('Next');
    await pg.waitForCardText(expectDecision({ route: twoIn.route!, about: 'other' }, 'seek_advice').title);

    // Start over: the first question again, without Back.
    await pg.clickOnCard('Start over');
    await pg.waitForCardText(firstQuestionText());
    await pg.waitForCardText('question 1 of at most');
    assert.equal(await pg.latestCard().getByRole('button', { name: 'Back', exact: true }).count(), 0);

    // Back from an outcome returns to its last question.
    const answers = await answerPath(pg, POLICE_SCHEME_PATH);
    const outcome = expectDecision(answers, 'police_disclosure_scheme');
    await pg.waitForCardText(outcome.title);
    await pg.clickOnCard('Back');
    await pg.waitForCardText(questionText({ route: answers.route!, disclosure_scheme: answers.disclosure_scheme! }));
    await pg.screenshot('back-from-outcome');

    await assertNoPlaygroundWarnings(pg);
  });

  test('starting a new questionnaire closes the card it supersedes, with a clear message', async () => {
    const pg = stack.playground;
    await openPersonalChat(pg);
    await startQuestionnaire(pg);
    await answerPath(pg, { route: SHARE_WITHOUT_CONSENT_PATH.route });
    const staleQuestion = questionText({ route: SHARE_WITHOUT_CONSENT_PATH.route });
    await pg.waitForCardText(staleQuestion);
    const staleIndex = (await pg.cards().count()) - 1;
    const stale = pg.cards().nth(staleIndex);

    // The practitioner starts again on a new card, and starts that one over too.
    await startQuestionnaire(pg);
    await pg.clickOnCard('Start over');
    await pg.waitForCardText(firstQuestionText());

    // The old card has been replaced by the bot with a clear message: it can no longer be answered.
    await pg.waitForCardText(/out of date/i, { card: stale });
    const shown = await stale.innerText();
    await pg.screenshot('stale-card', { card: stale });
    assert.match(shown, /newer questionnaire/i, `the stale card shows:\n${shown}`);
    assert.equal(
      await stale.getByRole('button', { name: 'Next', exact: true }).count(),
      0,
      'the old card has no Next button',
    );
    // The newest card is untouched.
    await pg.waitForCardText(firstQuestionText());
    await pg.waitForCardText('question 1 of at most');

    await assertNoPlaygroundWarnings(pg);
  });

  test('in a team channel the bot answers an @mention, and its card warns that everyone can see it', async () => {
    const pg = stack.playground;
    await openPersonalChat(pg);
    await pg.switchConversation('team channel');
    await pg.sendMessage('start');
    await pg.waitForCardText(firstQuestionText());
    await pg.waitForCardText(SHARED_CONVERSATION_NOTICE);
    await answerPath(pg, { route: POLICE_SCHEME_PATH.route });
    await pg.waitForCardText(questionText({ route: POLICE_SCHEME_PATH.route }));
    await pg.waitForCardText(SHARED_CONVERSATION_NOTICE);
    await pg.screenshot('channel-question');

    await assertNoPlaygroundWarnings(pg);
  });
});
