/**
 * Helpers for the reminder tests: the real app (createApp) on a real Azurite, with an injectable
 * clock and reminder settings, talking to a fake Teams connector (test/support/fakeConnector.ts).
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createApp, type App, type AppOptions } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import type { NewRecord } from '../../../src/storage/contract';
import type { StoredConversationReference } from '../../../src/storage/conversationStore';
import type { AzuriteHandle } from '../../support/azurite';
import { TeamsClient, TENANT_A, type Card, type TeamsConversation, type TeamsUser } from '../../support/botHarness';

/**
 * The app's clock in these tests: it runs at real speed from wherever the test sets it or moves it
 * to. It must run, not stand still: the stores take their timestamps from it too, and two records
 * written at one frozen instant would have no order.
 */
export class TestClock {
  private base = 0;
  private setAt = 0;

  constructor(start = new Date()) {
    this.current = start;
  }

  get current(): Date {
    return new Date(this.base + (Date.now() - this.setAt));
  }

  set current(at: Date) {
    this.base = at.getTime();
    this.setAt = Date.now();
  }

  now = (): Date => this.current;

  advanceHours(h: number): void {
    this.current = new Date(this.current.getTime() + h * 3_600_000);
  }
}

export interface RunningApp {
  app: App;
  baseUrl: string;
  logs: Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

type ReminderOptions = Exclude<AppOptions['reminders'], false | undefined>;

export async function startApp(
  azurite: AzuriteHandle,
  opts: { clock?: TestClock; reminders?: ReminderOptions; env?: Record<string, string>; listen?: boolean } = {},
): Promise<RunningApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    FOLLOW_UP_REMINDER_HOURS: '72',
    ...opts.env,
  });
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const reminders: ReminderOptions = {
    ...opts.reminders,
    settings: {
      enabled: true,
      ...opts.reminders?.settings,
      // Tests drive ticks themselves unless they ask for the cron tick.
      scheduler: {
        tickCron: '0 0 0 1 1 *',
        discoveryIntervalMs: 0,
        leaseTtlMs: 2_000,
        ...opts.reminders?.settings?.scheduler,
      },
      limits: { baseBackoffMs: 50, ...opts.reminders?.settings?.limits },
    },
  };
  const app = await createApp(config, {
    logger: createLogger('info', sink),
    reminders,
    ...(opts.clock ? { now: opts.clock.now } : {}),
  });
  const port = await app.listen();
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    logs,
    stop: () => app.close(),
  };
}

/** A team channel as stored for reminders: conversation id = the channel's root id. */
export function channelRoot(
  teamId = `19:team-${randomUUID()}@thread.tacv2`,
  tenantId = TENANT_A,
): TeamsConversation & { teamId: string; channelId: string } {
  const channelId = `19:${randomUUID().replace(/-/g, '')}@thread.tacv2`;
  return { id: channelId, conversationType: 'channel', tenantId, teamId, channelId };
}

/** The same channel seen from a message in one of its threads. */
export function threadIn(channel: TeamsConversation): TeamsConversation {
  return { ...channel, id: `${channel.channelId};messageid=${Date.now()}` };
}

/** Sends installationUpdate(add) the way Teams does; the bot's welcome goes to the connector. */
export async function install(client: TeamsClient): Promise<void> {
  const res = await client.post(client.activity({ type: 'installationUpdate', action: 'add' }));
  if (res.status >= 300) throw new Error(`installationUpdate got HTTP ${res.status}`);
}

export function referenceFor(
  serviceUrl: string,
  conversation: TeamsConversation,
  user?: TeamsUser,
): StoredConversationReference {
  return {
    serviceUrl,
    channelId: 'msteams',
    conversation: {
      id: conversation.id,
      conversationType: conversation.conversationType,
      tenantId: conversation.tenantId,
    },
    bot: { id: '28:bot' },
    ...(user ? { user: { id: user.id, aadObjectId: user.aadObjectId } } : {}),
  };
}

export function shareWithoutConsent(o: {
  user: TeamsUser;
  conversation: TeamsConversation;
  caseReference?: string;
  recipientAgency?: NewRecord['recipientAgency'];
  openFollowUps?: NewRecord['openFollowUps'];
  decision?: NewRecord['decision'];
  subjectInformed?: NewRecord['subjectInformed'];
}): NewRecord {
  return {
    idempotencyKey: randomUUID(),
    kind: 'decision',
    scope: {
      tenantId: o.conversation.tenantId,
      conversationId: o.conversation.id,
      conversationKind: o.conversation.conversationType,
      ...(o.conversation.teamId ? { teamId: o.conversation.teamId } : {}),
      ...(o.conversation.channelId ? { channelId: o.conversation.channelId } : {}),
    },
    decidedBy: { aadObjectId: o.user.aadObjectId, name: o.user.name },
    rulePackVersion: 'test-pack',
    ruleId: 'R-TEST',
    decision: o.decision ?? 'share_without_consent_justified',
    answers: { q1: 'yes' },
    consentStatus: 'not_sought',
    reasonsWithoutConsent: 'Seeking consent would put the child at risk',
    recipientAgency: o.recipientAgency ?? 'police',
    recipientRole: 'duty officer',
    channel: 'phone',
    informationOutline: 'concerns raised at school',
    subjectInformed: o.subjectInformed ?? 'will_inform',
    caseReference: o.caseReference ?? `CS-${randomUUID().slice(0, 6)}`,
    openFollowUps: o.openFollowUps ?? ['inform_subject_later'],
  };
}

/** Every Action.Execute anywhere in a card (body ActionSets included). */
export function executeActions(card: unknown): Array<{ title: string; verb: string; data: Record<string, unknown> }> {
  const out: Array<{ title: string; verb: string; data: Record<string, unknown> }> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (n.type === 'Action.Execute')
        out.push({ title: String(n.title), verb: String(n.verb), data: (n.data ?? {}) as Record<string, unknown> });
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/** The adaptive card of a posted activity (from the fake connector). */
export function postedCard(activity: Record<string, unknown>): Card | undefined {
  const attachments = activity.attachments as Array<{ contentType: string; content: Card }> | undefined;
  return attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}
