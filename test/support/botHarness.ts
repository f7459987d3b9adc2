/**
 * Starts the real bot (restify + CloudAdapter + storage) on a free port and talks to it the way
 * Teams does: Bot Framework activities over HTTP. Storage is a real Azurite, or — with
 * `{ stores: 'memory' }`, for the fast feature tests — the in-memory stores of
 * test/support/memoryStores.ts, which pass the same contract tests as the Table ones.
 *
 * Messages use deliveryMode "expectReplies" so the bot's replies come back in the HTTP response;
 * card actions are `invoke` activities named `adaptiveCard/action`, answered in the response body.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createApp, type App, type AppOptions } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { azuriteConnectionString, startAzurite, type AzuriteHandle } from './azurite';
import { memoryStores } from './memoryStores';

interface RunningBot {
  app: App;
  baseUrl: string;
  /** Every log line the bot wrote, parsed (to assert nothing personal is logged). */
  logs: Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

export interface BotHarness extends RunningBot {
  azurite: AzuriteHandle;
}

export interface MemoryBotHarness extends RunningBot {
  /** The in-memory stores the app runs on (the same objects as app.stores). */
  stores: ReturnType<typeof memoryStores>;
}

/** App options a test may set besides the stores (the clock, the reminder scheduler, the installed rule packs). */
export type HarnessAppOptions = Pick<AppOptions, 'now' | 'reminders' | 'rulePacks'>;

/**
 * Port 9 (discard) on the loopback: nothing listens there, so if anything reached for Table storage
 * while the bot runs on in-memory stores it would fail at once instead of passing unnoticed.
 */
const NO_TABLE_STORAGE = azuriteConnectionString(9);

export function startBot(
  env: Record<string, string>,
  opts: { stores: 'memory'; app?: HarnessAppOptions },
): Promise<MemoryBotHarness>;
export function startBot(
  env?: Record<string, string>,
  opts?: { azurite?: AzuriteHandle; app?: HarnessAppOptions },
): Promise<BotHarness>;
export async function startBot(
  env: Record<string, string> = {},
  opts: { azurite?: AzuriteHandle; stores?: 'memory'; app?: HarnessAppOptions } = {},
): Promise<BotHarness | MemoryBotHarness> {
  const inMemory = opts.stores === 'memory';
  const azurite = inMemory ? undefined : (opts.azurite ?? (await startAzurite()));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    AZURE_STORAGE_CONNECTION_STRING: azurite ? azurite.connectionString : NO_TABLE_STORAGE,
    ...env,
  });
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const stores = inMemory ? memoryStores({ now: opts.app?.now }) : undefined;
  let app: App;
  let port: number;
  try {
    app = await createApp(config, { logger: createLogger('info', sink), ...opts.app, ...(stores ? { stores } : {}) });
    port = await app.listen();
  } catch (err) {
    // Never leave an orphaned Azurite behind: it would keep the test process alive.
    if (azurite && !opts.azurite) await azurite.stop();
    throw err;
  }
  const running: RunningBot = {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    logs,
    async stop() {
      await app.close();
      if (azurite && !opts.azurite) await azurite.stop();
    },
  };
  return stores ? { ...running, stores } : { ...running, azurite: azurite! };
}

export interface TeamsUser {
  id: string;
  aadObjectId: string;
  name: string;
}

export interface TeamsConversation {
  id: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
  tenantId: string;
  teamId?: string;
  channelId?: string;
}

export const TENANT_A = '11111111-1111-4111-8111-111111111111';
export const TENANT_B = '22222222-2222-4222-8222-222222222222';

export function newUser(name = 'Test Practitioner'): TeamsUser {
  const aadObjectId = randomUUID();
  return { id: `29:${aadObjectId}`, aadObjectId, name };
}

export function personalChat(tenantId = TENANT_A): TeamsConversation {
  return { id: `a:${randomUUID()}`, conversationType: 'personal', tenantId };
}

export function teamChannel(teamId: string, tenantId = TENANT_A): TeamsConversation {
  const channelId = `19:${randomUUID().replace(/-/g, '')}@thread.tacv2`;
  return { id: `${channelId};messageid=${Date.now()}`, conversationType: 'channel', tenantId, teamId, channelId };
}

export interface HttpResult {
  status: number;
  body: unknown;
}

export type Card = Record<string, unknown> & { body?: unknown[]; actions?: Array<Record<string, unknown>> };

/** A Teams-shaped client for one user in one conversation. */
export class TeamsClient {
  constructor(
    readonly baseUrl: string,
    readonly user: TeamsUser,
    readonly conversation: TeamsConversation,
    readonly serviceUrl = 'http://127.0.0.1:9/',
  ) {}

  activity(extra: Record<string, unknown>): Record<string, unknown> {
    return {
      id: randomUUID(),
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      timestamp: new Date().toISOString(),
      from: { id: this.user.id, name: this.user.name, aadObjectId: this.user.aadObjectId },
      recipient: { id: '28:bot', name: 'Can I share?' },
      conversation: {
        id: this.conversation.id,
        conversationType: this.conversation.conversationType,
        tenantId: this.conversation.tenantId,
      },
      channelData: {
        tenant: { id: this.conversation.tenantId },
        ...(this.conversation.teamId ? { team: { id: this.conversation.teamId } } : {}),
        ...(this.conversation.channelId ? { channel: { id: this.conversation.channelId } } : {}),
      },
      ...extra,
    };
  }

  async post(body: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
    const res = await fetch(`${this.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed };
  }

  /** Sends a message and returns the bot's replies (expectReplies). */
  async say(text: string): Promise<Array<Record<string, unknown>>> {
    const res = await this.post(this.activity({ type: 'message', text, deliveryMode: 'expectReplies' }));
    if (res.status !== 200) throw new Error(`message got HTTP ${res.status}: ${JSON.stringify(res.body)}`);
    return (res.body as { activities?: Array<Record<string, unknown>> }).activities ?? [];
  }

  /** Sends an Action.Execute invoke and returns the invoke response body. */
  async execute(
    verb: string,
    data: Record<string, unknown>,
    opts: { replyToId?: string } = {},
  ): Promise<{ statusCode: number; type: string; value: unknown }> {
    const res = await this.post(
      this.activity({
        type: 'invoke',
        name: 'adaptiveCard/action',
        // Teams sets replyToId to the id of the message whose card was clicked.
        ...(opts.replyToId ? { replyToId: opts.replyToId } : {}),
        value: { action: { type: 'Action.Execute', id: randomUUID(), verb, data } },
      }),
    );
    if (res.status !== 200) throw new Error(`invoke got HTTP ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as { statusCode: number; type: string; value: unknown };
  }

  /** Executes a card's action by title, merging the given input values, and returns the replacement card. */
  async click(
    card: Card,
    title: string,
    inputs: Record<string, string> = {},
    opts: { replyToId?: string } = {},
  ): Promise<Card> {
    const action = findAction(card, title);
    const data = {
      ...((action.data as Record<string, unknown>) ?? {}),
      ...(action.associatedInputs === 'none' ? {} : inputs),
    };
    const res = await this.execute(String(action.verb), data, opts);
    if (res.type !== 'application/vnd.microsoft.card.adaptive')
      throw new Error(`expected a card, got ${res.type}: ${JSON.stringify(res.value)}`);
    return res.value as Card;
  }
}

export function findAction(card: Card, title: string): Record<string, unknown> {
  const action = (card.actions ?? []).find((a) => a.title === title);
  if (!action)
    throw new Error(`no action "${title}" on card; actions: ${(card.actions ?? []).map((a) => a.title).join(', ')}`);
  return action;
}

export function cardOf(activity: Record<string, unknown>): Card {
  const attachments = activity.attachments as Array<{ contentType: string; content: Card }> | undefined;
  const card = attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
  if (!card) throw new Error(`activity has no adaptive card: ${JSON.stringify(activity).slice(0, 300)}`);
  return card;
}

/** All text in a card (TextBlocks, facts, labels), for assertions. */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (typeof v === 'string' && ['text', 'title', 'value', 'label'].includes(k)) parts.push(v);
        else walk(v);
      }
    }
  };
  walk(card);
  return parts.join('\n');
}

/** The ChoiceSet with id "answer" on a question card: its choices' titles and values. */
export function choicesOf(card: Card, inputId = 'answer'): Array<{ title: string; value: string }> {
  let found: Array<{ title: string; value: string }> | undefined;
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (n.type === 'Input.ChoiceSet' && n.id === inputId)
        found = n.choices as Array<{ title: string; value: string }>;
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  if (!found) throw new Error(`no ChoiceSet "${inputId}" on card`);
  return found;
}
