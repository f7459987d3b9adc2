/**
 * Drives the Microsoft 365 Agents Playground (a local Teams-like client) in headless Chromium, for
 * the browser e2e tests. See docs/local-run.md for what the Playground's DOM looks like.
 *
 *   const stack = await startE2eStack('questionnaire');      // Azurite + bot + Playground + browser
 *   const pg = stack.playground;
 *   await pg.sendMessage('start');
 *   await pg.chooseOption('Yes');
 *   await pg.clickOnCard('Next');
 *   await pg.waitForCardText('question 2');
 *   expect(await pg.collectWarnings()).toEqual([]);
 *   await stack.stop();
 *
 * Every wait has an explicit timeout (STEP_TIMEOUT_MS): a bot that stops replying, an invoke that
 * fails or a card that does not render fails the test with a message saying which, never hangs.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { leaseBrowser, type BrowserLease } from './browser';
import {
  findFreePort,
  killChildrenOnSignals,
  startAzurite,
  startBot,
  startPlayground,
  type ManagedProcess,
} from '../../scripts/lib/processes';

export const ROOT = path.resolve(__dirname, '..', '..');
export const ARTIFACTS_DIR = path.join(ROOT, 'test-artifacts', 'e2e');
/** How long one step (a reply, a card update) may take before the test fails. */
export const STEP_TIMEOUT_MS = 20_000;
/** The bot's display name in the Playground (its default; not from the manifest). */
export const BOT_NAME = 'Test Bot';

/** A line of the bot's welcome card (cards/welcome.json), which it sends when installed in a conversation. */
const WELCOME_TEXT = 'Things you can type';

const BOT_AVATARS = `span[role="img"][aria-label="${BOT_NAME}"]:not([role="tree"] *):not([role="menu"] *)`;
/** Marks the elements a conversation showed before a switch (see switchConversation). */
const SHOWN_BEFORE = 'data-e2e-shown-before-switch';

export type ConversationKind = 'personal' | 'group chat' | 'team channel';

const TREE_ITEM: Record<ConversationKind, string> = {
  personal: 'Personal Chat',
  'group chat': 'Group Chat',
  'team channel': 'My Team - General',
};

/**
 * Console errors that are the Playground's own and say nothing about the bot:
 * - on a (re)load it replays messages it buffered while no page was connected, before the page
 *   knows the conversation, and its saga logs "Invalid conversation id" (the messages still show);
 * - a fresh page keeps no history, so when the bot closes a superseded questionnaire card that an
 *   earlier test's page showed (as Teams, which keeps history, would display), the page logs
 *   "setMessage: Message with ID … doesn't exists". The test that closes a card on the current
 *   page checks the visible result.
 */
const PLAYGROUND_NOISE: readonly RegExp[] = [
  /Saga error Error: Invalid conversation id/,
  /Saga error Error: setMessage: Message with ID \d+ doesn't exists/,
];

/** The Playground's own warnings: the log panel's "(!) Warning:" / "(×) Error:" rows. */
const LOG_PROBLEM = /^\((?:!|×)\) (?:Warning|Error):/;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Accessible names of card inputs start with the label (an error message or placeholder may follow). */
function labelPattern(label: string | RegExp): RegExp {
  return typeof label === 'string' ? new RegExp(`^\\s*${escapeRegExp(label)}`) : label;
}

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  botEndpoint: string;
  /** Names the Playground's log file and prefixes screenshots. */
  name: string;
  /** Show the Playground's own output (prefixed), for debugging. Default: quiet. */
  verbose?: boolean;
}

export class Playground {
  private conversation: ConversationKind = 'personal';
  /** Conversations shown since the last (re)load, where the app is installed and its welcome has come. */
  private readonly installed = new Set<ConversationKind>();
  private readonly pageProblems: string[] = [];

  private constructor(
    readonly name: string,
    readonly url: string,
    readonly proc: ManagedProcess,
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly browser: BrowserLease,
  ) {}

  /** Starts the Playground on a free port, launches Chromium and opens the personal chat. */
  static async start(opts: PlaygroundOptions): Promise<Playground> {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const server = await startPlayground(await findFreePort(), opts.botEndpoint, {
      name: `playground:${opts.name}`,
      cwd: ROOT,
      logFile: path.join(ARTIFACTS_DIR, `${opts.name}.playground.log`),
      output: opts.verbose ? 'prefix' : 'quiet',
    });
    let browser: BrowserLease | undefined;
    let context: BrowserContext | undefined;
    try {
      browser = await leaseBrowser();
      context = await browser.browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const page = await context.newPage();
      const pg = new Playground(opts.name, server.url, server.proc, context, page, browser);
      await pg.blockExternalRequests();
      pg.watchConsole();
      await pg.open();
      return pg;
    } catch (err) {
      await context?.close().catch(() => undefined);
      browser?.release();
      await server.proc.stop();
      throw err;
    }
  }

  /** Only the Playground itself (loopback) is reachable: its fonts CDN and telemetry are refused at once. */
  private async blockExternalRequests(): Promise<void> {
    await this.context.route(
      (url) => !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && url.protocol !== 'data:',
      (route) => route.abort('blockedbyclient'),
    );
  }

  private watchConsole(): void {
    this.page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const where = msg.location().url;
      // Requests we blocked on purpose (fonts, animations, telemetry) are not the app's problem.
      if (where && !/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(where)) return;
      if (/net::ERR_BLOCKED_BY_CLIENT|net::ERR_FAILED/.test(msg.text())) return;
      if (PLAYGROUND_NOISE.some((noise) => noise.test(msg.text()))) return;
      // First line only: the rest is a minified stack.
      this.pageProblems.push(`console error: ${msg.text().split('\n')[0]}`);
    });
    this.page.on('pageerror', (err) => this.pageProblems.push(`page error: ${err.message}`));
  }

  /**
   * (Re)loads the Playground — a fresh view with no history and an empty log panel — and opens the
   * personal chat, once the bot's welcome card has come there. Page problems collected so far are
   * forgotten.
   */
  async open(): Promise<void> {
    this.pageProblems.length = 0;
    this.installed.clear();
    await this.page.goto(this.url, { timeout: STEP_TIMEOUT_MS });
    await this.page.getByRole('treeitem', { name: TREE_ITEM.personal }).waitFor({ timeout: STEP_TIMEOUT_MS });
    this.conversation = 'personal';
    await this.switchConversation('personal');
  }

  /**
   * Opens the personal chat, the group chat, or the General channel of "My Team". The first time a
   * conversation is shown after a (re)load, the Playground installs the app there (installationUpdate),
   * and the bot answers with its welcome card: this waits for that card, so that a welcome arriving
   * late is never counted as the reply to the next message.
   */
  async switchConversation(kind: ConversationKind): Promise<void> {
    const previous = this.conversation;
    // Mark what is on screen, so that nothing is counted or read before the new view has replaced it.
    if (kind !== previous)
      await this.viewContent().evaluateAll((els, mark) => els.forEach((el) => el.setAttribute(mark, '')), SHOWN_BEFORE);
    await this.page.getByRole('treeitem', { name: TREE_ITEM[kind], exact: true }).click({ timeout: STEP_TIMEOUT_MS });
    this.conversation = kind;
    if (kind !== previous) {
      await this.waitUntil(
        async () => (await this.page.locator(`[${SHOWN_BEFORE}]`).count()) === 0,
        `the ${this.placeName(kind)} to replace the ${this.placeName(previous)} on screen`,
      );
    }
    await this.composer().waitFor({ timeout: STEP_TIMEOUT_MS });
    if (this.installed.has(kind)) return;
    await this.waitUntil(
      async () => (await this.page.locator('.ac-adaptiveCard').filter({ hasText: WELCOME_TEXT }).count()) > 0,
      `the bot's welcome card in the ${this.placeName(kind)} (the Playground installs the app on first view)`,
    );
    this.installed.add(kind);
  }

  private placeName(kind: ConversationKind = this.conversation): string {
    return kind === 'personal' ? 'personal chat' : kind;
  }

  get conversationKind(): ConversationKind {
    return this.conversation;
  }

  /** The message box: in a channel, the "Start a new post" box (the first textbox). */
  composer(): Locator {
    return this.page.locator('[role="textbox"][data-lexical-editor="true"]').first();
  }

  /** Every rendered Adaptive Card in the open conversation, oldest first (chats) / in the newest thread (channel). */
  cards(): Locator {
    if (this.conversation === 'team channel') {
      // Channel posts are listed newest first, under the new-post box: the second group is the newest thread.
      return this.page.locator('[role="group"].fui-Card').nth(1).locator('.ac-adaptiveCard');
    }
    return this.page.locator('.ac-adaptiveCard');
  }

  latestCard(): Locator {
    return this.cards().last();
  }

  /** Avatars of the bot's messages in the open conversation (not in the conversation list). */
  private botMessages(): Locator {
    return this.page.locator(BOT_AVATARS);
  }

  /** What shows the open conversation's messages: its cards and the bot's avatars. */
  private viewContent(): Locator {
    return this.page.locator(`.ac-adaptiveCard, ${BOT_AVATARS}`);
  }

  /**
   * Types and sends a message. In a group chat or channel the bot only hears @mentions, so the bot
   * is mentioned first (through the composer's @ menu, as a person would). Unless `expectReply` is
   * false, waits until the Playground has delivered the message to the bot (its log panel) and the
   * bot has answered with a new message.
   */
  async sendMessage(text: string, opts: { expectReply?: boolean; mention?: boolean } = {}): Promise<void> {
    const repliesBefore = await this.botMessages().count();
    const deliveredBefore = (await this.messagesToBot()).length;
    const box = this.composer();
    await box.click({ timeout: STEP_TIMEOUT_MS });
    if (opts.mention ?? this.conversation !== 'personal') {
      await this.page.keyboard.type('@');
      await this.page
        .locator('#typeahead-menu')
        .getByRole('menuitem', { name: BOT_NAME })
        .click({ timeout: STEP_TIMEOUT_MS });
      // The editor turns the pick into a mention pill in its own time; typing on before then can
      // leave a message with no mention, which the Playground, like Teams, never delivers to the bot.
      await box.locator('span.mention', { hasText: BOT_NAME }).waitFor({ timeout: STEP_TIMEOUT_MS });
      await this.page.keyboard.type(' ');
    }
    await this.page.keyboard.type(text);
    await this.waitUntil(
      async () => (await box.innerText()).includes(text),
      async () => `the message box to hold "${text}" (it holds "${await box.innerText()}")`,
    );
    if (this.conversation === 'team channel') {
      await this.page.getByRole('button', { name: 'Post', exact: true }).click({ timeout: STEP_TIMEOUT_MS });
    } else {
      await this.page.getByRole('button', { name: 'Send Message' }).first().click({ timeout: STEP_TIMEOUT_MS });
    }
    if (opts.expectReply === false) return;
    const where = `in the ${this.placeName()}`;
    await this.waitUntil(
      async () => (await this.messagesToBot()).length > deliveredBefore,
      `the Playground to send "${text}" to the bot ${where} (its log panel shows no new message to the app)`,
    );
    const status = (await this.messagesToBot())[deliveredBefore];
    if (status !== '200') throw new Error(`the bot answered the message "${text}" with HTTP ${status}`);
    await this.waitUntil(
      async () => (await this.botMessages().count()) > repliesBefore,
      `the bot to reply to "${text}" ${where} (the bot took the message: HTTP 200)`,
    );
  }

  /** The HTTP status of each message the Playground has sent to the bot, oldest first (from its log panel). */
  private async messagesToBot(): Promise<string[]> {
    // A log row is [time] [direction] [type and status] [text]: "message 200" after "Playground -> User Application".
    return this.page.getByText(/^Microsoft 365 Agents Playground -> User Application\s*$/).evaluateAll((els) =>
      els.flatMap((el) => {
        const sent = /^message (\d{3})$/.exec(el.nextElementSibling?.textContent?.trim() ?? '');
        return sent?.[1] ? [sent[1]] : [];
      }),
    );
  }

  /** Picks an option of an expanded ChoiceSet (radio buttons), or of a compact one (a combobox). */
  async chooseOption(label: string, opts: { card?: Locator; input?: string | RegExp } = {}): Promise<void> {
    const card = opts.card ?? this.latestCard();
    if (opts.input !== undefined) {
      await card.getByRole('combobox', { name: labelPattern(opts.input) }).click({ timeout: STEP_TIMEOUT_MS });
      await this.page.getByRole('option', { name: label, exact: true }).click({ timeout: STEP_TIMEOUT_MS });
      return;
    }
    const radio = card.getByRole('radio', { name: label, exact: true });
    await radio.check({ timeout: STEP_TIMEOUT_MS });
  }

  /** Fills an Input.Text (single or multi-line) found by its label. */
  async fillInput(label: string | RegExp, value: string, opts: { card?: Locator } = {}): Promise<void> {
    const card = opts.card ?? this.latestCard();
    await card.getByRole('textbox', { name: labelPattern(label) }).fill(value, { timeout: STEP_TIMEOUT_MS });
  }

  /** Fills an Input.Date found by its label (the renderer's <input type="date"> takes YYYY-MM-DD). */
  async fillDate(label: string | RegExp, value: string, opts: { card?: Locator } = {}): Promise<void> {
    const card = opts.card ?? this.latestCard();
    await card.getByLabel(labelPattern(label)).fill(value, { timeout: STEP_TIMEOUT_MS });
  }

  /** Count of the Playground's log-panel entries for invokes, e.g. "invoke 200". */
  private invokeLog(): Locator {
    return this.page.getByText(/^invoke \d{3}$/);
  }

  /**
   * Clicks an action button on a card (the latest, unless given) and waits for the bot's answer:
   * the invoke's status in the log panel, and then the card replaced in place, a new card, or the
   * Playground's "invoked message" banner. A non-200 invoke fails at once, naming the status.
   */
  async clickOnCard(name: string, opts: { card?: Locator; expectUpdate?: boolean } = {}): Promise<void> {
    const card = opts.card ?? this.latestCard();
    const textBefore = await card.innerText({ timeout: STEP_TIMEOUT_MS });
    const cardsBefore = await this.cards().count();
    const invokesBefore = await this.invokeLog().count();
    await card.getByRole('button', { name, exact: true }).click({ timeout: STEP_TIMEOUT_MS });
    if (opts.expectUpdate === false) return;
    await this.waitUntil(
      async () => (await this.invokeLog().count()) > invokesBefore,
      async () =>
        `the bot to answer the "${name}" action (no invoke response in the Playground's log: the bot may be down or ` +
        `slow, or the card refused to send because of its inputs: ${(await this.validationErrors(card)).join('; ') || 'no validation message shown'})`,
    );
    const status = (await this.invokeLog().nth(invokesBefore).innerText()).replace('invoke ', '');
    if (status !== '200') throw new Error(`the bot answered the "${name}" action with HTTP ${status}`);
    await this.waitUntil(
      async () =>
        (await this.cards().count()) !== cardsBefore ||
        (await card.innerText().catch(() => '')) !== textBefore ||
        (await this.invokedMessage(card)) !== undefined,
      `the card to change after "${name}"`,
    );
  }

  /** Validation messages the renderer shows on a card's inputs (e.g. "Choose one answer to continue."). */
  async validationErrors(card: Locator = this.latestCard()): Promise<string[]> {
    // The renderer puts each input's error message in a text block right after the input's container.
    return card.locator('.ac-input-container + .ac-textBlock').allInnerTexts();
  }

  /**
   * The banner the Playground shows under a card after an invoke ("Your response was sent to the app", or the bot's
   * message).
   */
  async invokedMessage(card: Locator = this.latestCard()): Promise<string | undefined> {
    // The banner is a sibling of the card, inside the message: the closest ancestor holding one card and one banner.
    const message = card
      .locator(
        'xpath=ancestor::*[.//*[@aria-label="Display Invoked Message"]]' +
          '[count(.//*[contains(concat(" ", normalize-space(@class), " "), " ac-adaptiveCard ")]) = 1][1]',
      )
      .locator('[aria-label="Display Invoked Message"]');
    if ((await message.count()) === 0) return undefined;
    return (await message.first().innerText()).trim();
  }

  /** Waits until the latest card shows `text`. */
  async waitForCardText(text: string | RegExp, opts: { card?: Locator; timeoutMs?: number } = {}): Promise<Locator> {
    const card = opts.card ?? this.latestCard();
    const timeoutMs = opts.timeoutMs ?? STEP_TIMEOUT_MS;
    try {
      await card.filter({ hasText: text }).waitFor({ timeout: timeoutMs });
    } catch {
      const shown = await card.innerText({ timeout: 1_000 }).catch(() => '(no card)');
      throw new Error(
        `the latest card did not show ${String(text)} within ${timeoutMs} ms; it shows:\n${shown.slice(0, 1500)}`,
      );
    }
    return card;
  }

  /** Saves a PNG of the latest card (or of the whole page) under test-artifacts/e2e/. */
  async screenshot(name: string, opts: { fullPage?: boolean; card?: Locator } = {}): Promise<string> {
    const file = path.join(ARTIFACTS_DIR, `${this.name}-${name.replace(/[^a-z0-9._-]+/gi, '-')}.png`);
    if (opts.fullPage) {
      await this.page.screenshot({ path: file, fullPage: true });
      return file;
    }
    // The chat pane scrolls inside a viewport-sized layout, so a card taller than the viewport
    // cannot be captured whole: grow the viewport to fit it for the shot, then restore it.
    const card = opts.card ?? this.latestCard();
    const viewport = this.page.viewportSize() ?? { width: 1400, height: 1000 };
    const box = await card.boundingBox({ timeout: STEP_TIMEOUT_MS });
    const needed = Math.min(Math.ceil((box?.height ?? 0) + 400), 12_000);
    if (needed > viewport.height) await this.page.setViewportSize({ width: viewport.width, height: needed });
    try {
      await card.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await this.page.mouse.move(0, 0); // no hover menus over the card
      await card.screenshot({ path: file, timeout: STEP_TIMEOUT_MS, animations: 'disabled' });
    } finally {
      if (needed > viewport.height) await this.page.setViewportSize(viewport);
    }
    return file;
  }

  /**
   * Problems a person would see or the Playground reports: its warnings about card features it does
   * not support (shown under the message and in the log panel), its errors, and the page's console
   * errors and uncaught exceptions. Blocked external requests are not counted.
   */
  async collectWarnings(): Promise<string[]> {
    const rows = await this.page.getByText(LOG_PROBLEM).evaluateAll((els) =>
      els.map((el) =>
        (el.parentElement?.innerText ?? el.textContent ?? '')
          .replace(/^\[[^\]]*\]\s*/, '')
          .replace(/\s+/g, ' ')
          .trim(),
      ),
    );
    return [...new Set([...rows, ...this.pageProblems])];
  }

  /** Polls `check` until true, failing after the step timeout with `what` in the message. */
  async waitUntil(
    check: () => Promise<boolean>,
    what: string | (() => Promise<string>),
    timeoutMs = STEP_TIMEOUT_MS,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check()) return;
      if (Date.now() > deadline) {
        const problems = await this.collectWarnings().catch(() => []);
        const described = typeof what === 'string' ? what : await what().catch(() => '(a step)');
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${described}${problems.length ? `\nPlayground problems: ${problems.join(' | ')}` : ''}`,
        );
      }
      await this.page.waitForTimeout(100);
    }
  }

  async stop(): Promise<void> {
    await this.context.close().catch(() => undefined);
    this.browser.release();
    await this.proc.stop();
  }
}

// ---------------------------------------------------------------------------------------------

export interface E2eStack {
  playground: Playground;
  /** Connection string of this stack's in-memory Azurite (read records back with @azure/data-tables). */
  connectionString: string;
  botPort: number;
  bot: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * One test file's world: an in-memory Azurite, the real bot (`node --import tsx src/index.ts`, or
 * E2E_BOT_ENTRY) and the Playground on free ports, and Chromium on the Playground.
 * Stops what it started if a later part fails to start.
 */
export async function startE2eStack(
  name: string,
  opts: { botEnv?: NodeJS.ProcessEnv; verbose?: boolean } = {},
): Promise<E2eStack> {
  killChildrenOnSignals();
  const verbose = opts.verbose ?? process.env.E2E_VERBOSE === '1';
  const output = verbose ? 'prefix' : 'quiet';
  const started: Array<{ stop(): Promise<unknown> }> = [];
  const stopAll = async () => {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
  };
  try {
    const azurite = await startAzurite(await findFreePort(), { name: `azurite:${name}`, cwd: ROOT, output });
    started.push(azurite.proc);
    const bot = await startBot(
      await findFreePort(),
      {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: process.env.E2E_BOT_LOG_LEVEL ?? 'warn',
        AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        MICROSOFT_APP_ID: '',
        MICROSOFT_APP_PASSWORD: '',
        ...opts.botEnv,
      },
      { name: `bot:${name}`, cwd: ROOT, entry: process.env.E2E_BOT_ENTRY ?? 'src/index.ts', output },
    );
    started.push(bot.proc);
    const playground = await Playground.start({ botEndpoint: bot.endpoint, name, verbose });
    started.push(playground);
    return {
      playground,
      connectionString: azurite.connectionString,
      botPort: bot.port,
      bot: bot.proc,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
