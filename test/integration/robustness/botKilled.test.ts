/**
 * The bot process is killed (SIGKILL) in the middle of a questionnaire and started again on the
 * same port. The practitioner carries on from the card they already have — the state travels in
 * the card's action data, so nothing was lost with the process — to an outcome and a record.
 * The bot runs exactly as deployed: `node --import tsx src/index.ts` with PORT and
 * AZURE_STORAGE_CONNECTION_STRING, against a real Azurite in its own process.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { startAzurite, type AzuriteHandle } from '../../support/azurite';
import {
  TENANT_A,
  TeamsClient,
  cardOf,
  cardText,
  findAction,
  newUser,
  personalChat,
  type Card,
} from '../../support/botHarness';
import { TableDecisionStore } from '../../../src/storage/decisionStore';
import {
  RECORD_FORM,
  SHARE_WITHOUT_ASKING,
  answerAll,
  census,
  decisionsTable,
  freePort,
  recordIdOf,
  spawnServer,
  stateOf,
  type ChildServer,
} from './support';
import { answerFor } from '../../support/scenarios';

describe('robustness: bot process killed mid-questionnaire', () => {
  let azurite: AzuriteHandle;
  let bot: ChildServer | undefined;
  let port: number;
  const start = () =>
    spawnServer({
      script: 'src/index.ts',
      port,
      env: {
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        REMINDERS_ENABLED: 'false',
        RETENTION_PURGE_ENABLED: 'false',
      },
    });

  before(async () => {
    azurite = await startAzurite();
    port = await freePort();
  });
  after(async () => {
    await bot?.kill();
    await azurite?.stop();
  });

  it('continues from the card in hand to an outcome and a record', async () => {
    bot = await start();
    const client = new TeamsClient(bot.baseUrl, newUser('Kim Killed'), personalChat());
    let card: Card = cardOf((await client.say('start'))[0]!);
    for (let i = 0; i < 4; i++) {
      const q = String((findAction(card, 'Next').data as { q: string }).q);
      card = await client.click(card, 'Next', { answer: answerFor(q)! });
    }
    const answeredBefore = Object.keys(stateOf(card).a).length;
    assert.equal(answeredBefore, 4);

    const killedPid = bot.pid;
    await bot.kill();
    assert.equal(bot.child.signalCode, 'SIGKILL');
    // While it is down the click fails at the HTTP level (Teams would show its own error); the card is unchanged.
    await assert.rejects(client.click(card, 'Next', { answer: 'x' }));

    bot = await start();
    assert.notEqual(bot.pid, killedPid);
    assert.equal(bot.port, port, 'restarted on the same port');
    const outcome = await answerAll(client, card, SHARE_WITHOUT_ASKING);
    assert.match(cardText(outcome), /without consent/i);
    const recorded = await client.click(outcome, 'Record this decision', {
      ...RECORD_FORM,
      caseReference: 'KILL-0001',
    });
    const id = recordIdOf(recorded);
    assert.ok(id, cardText(recorded).slice(0, 300));

    const counted = await census(azurite.connectionString, TENANT_A);
    assert.equal(counted.records, 1);
    assert.equal(counted.markers, 1);
    assert.equal(counted.decidedBy.get(id), client.user.aadObjectId);
    // The record holds every answer, including the 4 given before the kill.
    const stored = await new TableDecisionStore(decisionsTable(azurite.connectionString)).get(TENANT_A, id);
    assert.deepEqual(stored?.answers, stateOf(outcome).a);
    for (const [q, code] of Object.entries(stateOf(card).a)) assert.equal(stored?.answers[q], code);
    console.log(
      `bot killed: SIGKILL after ${answeredBefore} answers (pid ${killedPid}), restarted (pid ${bot.pid}) on port ${port}; finished and recorded ${id}; records lost 0`,
    );
  });
});
