/**
 * Questionnaire steps for the browser e2e tests, driven the way a practitioner would: read the
 * question on the card, pick the answer by its label, press Next.
 *
 * A path is written as answer *codes*; the question texts and option labels are taken from the
 * rule pack through the engine, so a reworded label does not break the tests, while a path that no
 * longer leads where it should fails with the step it went wrong at. Every helper takes the pack
 * the tenant decides under (the default pack, rulepacks/2015-local, unless told otherwise).
 */
import assert from 'node:assert/strict';
import { TableClient } from '@azure/data-tables';
import { normaliseAadId } from '../../src/bot/kit/ids';
import { completePaths, evaluate, rulePack, type DecisionCode, type Outcome, type RulePack } from '../../src/domain';
import type { StoredRecord } from '../../src/storage/contract';
import { TableRoleStore } from '../../src/storage/roleStore';
import type { Playground } from '../support/playground';
import { SHARE_WITHOUT_ASKING, dayFromToday } from '../support/scenarios';
import { progressLine } from '../../src/bot/features/questionnaire/views';

/** The Playground's signed-in user (its default mock "Alex Wilber"). */
export const PLAYGROUND_USER_AAD_ID = '00000000-0000-0000-0000-0000000000020';

/**
 * Fails on anything the Playground flags: a warning about a card feature it does not support (no
 * exceptions: the cards use none), its errors, and console errors or uncaught exceptions.
 */
export async function assertNoPlaygroundWarnings(pg: Playground): Promise<void> {
  assert.deepEqual(await pg.collectWarnings(), [], 'the Playground reported problems');
}

/** Opens a fresh view of the personal chat; `open` waits for the bot's welcome card there. */
export async function openPersonalChat(pg: Playground): Promise<void> {
  await pg.open();
}

/** Types "start" and waits for the first question of `pack`. */
export async function startQuestionnaire(pg: Playground, pack: RulePack = rulePack): Promise<void> {
  await pg.sendMessage('start');
  await pg.waitForCardText(firstQuestionText(pack));
}

export function firstQuestionText(pack: RulePack = rulePack): string {
  const first = evaluate(pack, {});
  assert.equal(first.kind, 'question');
  return first.question.text;
}

/** The question the engine asks after `answers`, with the label of each option code. */
export function questionAfter(answers: Record<string, string>, pack: RulePack = rulePack) {
  const result = evaluate(pack, answers);
  if (result.kind !== 'question') return undefined;
  return result;
}

export function labelOf(questionId: string, code: string, pack: RulePack = rulePack): string {
  const question = pack.questions.find((q) => q.id === questionId);
  const option = question?.options.find((o) => o.code === code);
  assert.ok(option, `the rule pack ${pack.metadata.id} has no option ${questionId}=${code}`);
  return option.label;
}

/**
 * Answers questions on the latest card until `path` runs out or the outcome is reached. Each step
 * checks that the card shows the question the engine expects (and its progress), then picks the
 * option and presses Next. Returns the answers given.
 */
export async function answerPath(
  pg: Playground,
  path: Readonly<Record<string, string>>,
  opts: { given?: Record<string, string>; pack?: RulePack } = {},
): Promise<Record<string, string>> {
  const pack = opts.pack ?? rulePack;
  const answers = { ...opts.given };
  for (;;) {
    const next = questionAfter(answers, pack);
    if (!next) return answers;
    const { question, progress } = next;
    const code = path[question.id];
    if (code === undefined) return answers;
    const card = await pg.waitForCardText(question.text);
    // The card's progress line, as the bot words it ("question 3 of at most 7"; after the answer, the tailoring count).
    await pg.waitForCardText(progressLine(progress).replace('Can I share? — ', ''), { card });
    // Once the answer is known, the card shows it above the tailoring question.
    if (next.answer) await pg.waitForCardText(next.answer.title, { card });
    await pg.chooseOption(labelOf(question.id, code, pack));
    await pg.clickOnCard('Next');
    answers[question.id] = code;
  }
}

/** The outcome (title, decision, …) the outcome card shows for these answers. */
export function outcomeFor(answers: Record<string, string>, pack: RulePack = rulePack): Outcome {
  const result = evaluate(pack, answers);
  assert.equal(
    result.kind,
    'outcome',
    `the answers ${JSON.stringify(answers)} do not reach an outcome on ${pack.metadata.id}`,
  );
  return result.outcome;
}

/** How many complete paths `findPath` looks at before giving up (the packs have about 500,000 each). */
const PATH_SEARCH_LIMIT = 100_000;

/**
 * The first complete path through `pack` (depth first, as the engine walks it) whose outcome
 * `accept`s: a path chosen by what it leads to, not by hard-coded labels, so a reworded or
 * reordered pack still yields a valid path — or the test fails saying none was found.
 */
function findPath(
  pack: RulePack,
  accept: (outcome: Outcome, answers: Readonly<Record<string, string>>) => boolean,
): Record<string, string> {
  let looked = 0;
  for (const answers of completePaths(pack)) {
    const result = evaluate(pack, answers);
    if (result.kind === 'outcome' && accept(result.outcome, answers)) return { ...answers };
    if (++looked >= PATH_SEARCH_LIMIT) break;
  }
  assert.fail(`no path through ${pack.metadata.id} (of the first ${looked}) reaches the outcome asked for`);
}

/** What `fillAndRecord` fills in beyond the fields every record form has. */
const FILLED_RECORD_FIELDS = ['recipient', 'informationOutline', 'reasonsWithoutConsent'] as const;

/**
 * A share-without-consent path through `pack` whose record form asks for what `fillAndRecord`
 * fills in, and which also satisfies `also` (e.g. "not a path of the default pack").
 */
export function shareWithoutConsentPath(
  pack: RulePack,
  also: (answers: Readonly<Record<string, string>>) => boolean = () => true,
): Record<string, string> {
  return findPath(
    pack,
    (outcome, answers) =>
      outcome.decision === 'share_without_consent_justified' &&
      FILLED_RECORD_FIELDS.every((field) => outcome.mustRecord.some((r) => r.field === field)) &&
      also(answers),
  );
}

/** The share-without-consent path the integration tests and the benchmark use too. */
export const SHARE_WITHOUT_CONSENT_PATH = SHARE_WITHOUT_ASKING;

export const POLICE_SCHEME_PATH = {
  route: 'offending_history_enquiry',
  disclosure_scheme: 'child_sex_offender',
  scheme_requester: 'member_of_public',
} as const;

/**
 * From a started questionnaire: answers `path` (SHARE_WITHOUT_CONSENT_PATH on the default pack) on
 * `pack`, fills in the record form and records the decision. Returns the record id shown on the
 * "Decision recorded" card.
 */
export async function recordShareWithoutConsent(
  pg: Playground,
  caseReference: string,
  opts: { pack?: RulePack; path?: Readonly<Record<string, string>> } = {},
): Promise<string> {
  const pack = opts.pack ?? rulePack;
  const answers = await answerPath(pg, opts.path ?? SHARE_WITHOUT_CONSENT_PATH, { pack });
  const outcome = expectDecision(answers, 'share_without_consent_justified', pack);
  const card = await pg.waitForCardText(outcome.title);
  await pg.waitForCardText('Record this decision', { card });
  return fillAndRecord(pg, caseReference);
}

/** On a share-without-consent outcome card: fills in the record form, records, and returns the record id. */
export async function fillAndRecord(
  pg: Playground,
  caseReference: string,
  opts: { screenshot?: string } = {},
): Promise<string> {
  await pg.fillInput('Case reference', caseReference);
  await pg.fillInput(
    'Why you are sharing without consent',
    'Asking the parent would put the child at risk of significant harm',
  );
  await pg.chooseOption("Children's social care", { input: 'Who receives it (agency)' });
  await pg.fillInput('Their role', 'duty social worker');
  await pg.fillInput('What is shared, in outline', 'School attendance this term and the concerns raised');
  await pg.fillInput('The risk if this were not shared', 'The child would stay at risk of significant harm at home');
  await pg.chooseOption('Not yet — they will be told', { input: 'Has the person been told' });
  // Not told yet: when that is reviewed is required (from today to 90 days ahead).
  await pg.fillDate('If they have not been told: when you will review that', dayFromToday(30));
  await pg.chooseOption('Designated safeguarding lead', { input: 'Your role' });
  await pg.clickOnCard('Record this decision');
  const recorded = await pg.waitForCardText('Decision recorded');
  if (opts.screenshot) await pg.screenshot(opts.screenshot);
  const recordId = /Record id:\s*(\S+)/.exec(await recorded.innerText())?.[1]?.replace(/[*.]+$/, '');
  assert.ok(recordId, 'the recorded card shows a record id');
  return recordId;
}

export function expectDecision(
  answers: Record<string, string>,
  decision: DecisionCode,
  pack: RulePack = rulePack,
): Outcome {
  const outcome = outcomeFor(answers, pack);
  assert.equal(
    outcome.decision,
    decision,
    `the path reached ${outcome.decision} (rule ${outcome.ruleId} of ${pack.metadata.id}), not ${decision}`,
  );
  return outcome;
}

/** Reads a decision record back from the `decisions` table by its id. */
export async function readRecord(connectionString: string, recordId: string): Promise<StoredRecord> {
  const table = TableClient.fromConnectionString(connectionString, 'decisions', { allowInsecureConnection: true });
  const rows: StoredRecord[] = [];
  for await (const entity of table.listEntities<{ record: string }>({
    queryOptions: { filter: `RowKey eq 'rec|${recordId.replace(/'/g, "''")}'` },
  })) {
    rows.push(JSON.parse(entity.record) as StoredRecord);
  }
  assert.equal(rows.length, 1, `expected one record row for ${recordId} in the decisions table, found ${rows.length}`);
  return rows[0]!;
}

/**
 * Makes someone a manager the way an admin's "grant manager" would leave it: a row in the `roles`
 * table. (MANAGER_AAD_OBJECT_IDS cannot name the Playground's user: its ids are not strict GUIDs.)
 */
export async function grantManagerRole(connectionString: string, tenantId: string, aadObjectId: string): Promise<void> {
  const roles = new TableRoleStore(
    TableClient.fromConnectionString(connectionString, 'roles', { allowInsecureConnection: true }),
  );
  await roles.grant(tenantId, normaliseAadId(aadObjectId), 'manager');
}
