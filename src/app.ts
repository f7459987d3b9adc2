/**
 * Composition root: config → logger → storage → bot → adapter → HTTP server.
 * Layers depend inwards only: http → bot → domain, and bot → storage contract.
 */
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { createLogger, type Logger } from './logger';
import { createAdapter, type CloudAdapter } from './bot/adapter';
import { CanShareBot } from './bot/CanShareBot';
import { allFeatures } from './bot/features';
import type { BotFeature } from './bot/features/types';
import type { BotStores } from './bot/stores';
import { createHttpServer, type Server } from './http/server';
import { createTables, ensureTables, type Tables } from './storage/tableClients';
import { TableDecisionStore } from './storage/decisionStore';
import { TableAuditStore } from './storage/auditStore';
import { TableRoleStore } from './storage/roleStore';
import { TableQuestionnaireSessionStore } from './storage/questionnaireSessionStore';
import { TableTenantSettingsStore } from './storage/tenantSettingsStore';
import { DEFAULT_RULE_PACK_ID, rulePacks, type RulePack } from './domain';
import { registerDownloadRoutes } from './http/downloads';
import { decisionExport } from './bot/features/records/export';
import { registerChartRoute } from './http/chartDownloads';
import { summaryCharts } from './bot/features/summary/chartLink';
import { TableConversationStore } from './storage/conversationStore';
import { TableReminderStore } from './storage/reminderStore';
import {
  createReminderSystem,
  reminderSettingsFrom,
  tableSchedulingStores,
  type ReminderSettings,
  type ReminderSystem,
  type SchedulingStores,
} from './reminders';
import { BotFrameworkSender } from './reminders/botSender';
import type { ProactiveSender } from './reminders/sender';
import { cardComposer } from './bot/reminderComposer';
import { isManager } from './bot/kit/access';
import { rulePackCatalogue } from './bot/kit/rulePacks';
import {
  createRetentionSystem,
  retentionSettingsFrom,
  type RetentionSettings,
  type RetentionSystem,
} from './retention';

export interface App {
  config: Config;
  logger: Logger;
  tables: Tables;
  stores: BotStores;
  adapter: CloudAdapter;
  bot: CanShareBot;
  server: Server;
  /** Reminder scheduler and proactive delivery (started by listen(), stopped by close()). */
  reminders: ReminderSystem;
  /** Retention purge schedule (started by listen(), stopped by close()); runRetentionPurge() for a run now. */
  retention: RetentionSystem;
  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number>;
  close(): Promise<void>;
}

export interface AppOptions {
  logger?: Logger;
  features?: readonly BotFeature[];
  now?: () => Date;
  /**
   * Reminder scheduler: `false` disables it (also REMINDERS_ENABLED=false); or override settings, the sender, the
   * instance id.
   */
  reminders?:
    | false
    | {
        settings?: Partial<Omit<ReminderSettings, 'limits' | 'scheduler'>> & {
          limits?: Partial<ReminderSettings['limits']>;
          scheduler?: Partial<ReminderSettings['scheduler']>;
        };
        sender?: ProactiveSender;
        owner?: string;
      };
  /**
   * Stores to run on instead of Table storage (the feature tests pass in-memory ones). The tables
   * are then not created and the bot and the reminder scheduler never use the clients in `tables`;
   * /readyz does not probe storage. The retention purge still works on Table storage only (its
   * schedule is off under NODE_ENV=test).
   */
  stores?: BotStores & SchedulingStores;
  /**
   * Retention purge: `false` disables the schedule (also RETENTION_PURGE_ENABLED=false); or override settings, the
   * instance id.
   */
  retention?: false | { settings?: Partial<RetentionSettings>; owner?: string };
  /**
   * The rule packs tenants may choose from, by id (default: every pack under rulepacks/). Must hold
   * the default pack; tests add a fixture pack.
   */
  rulePacks?: ReadonlyMap<string, RulePack>;
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const now = options.now ?? (() => new Date());
  const tables = createTables(config.AZURE_STORAGE_CONNECTION_STRING);
  const injected = options.stores;
  if (!injected) await ensureTables(tables);
  // One logger and one clock for every store.
  const storeOptions = { logger, now };
  const stores: BotStores = injected ?? {
    decisions: new TableDecisionStore(tables.decisions, storeOptions),
    audit: new TableAuditStore(tables.audit, storeOptions),
    roles: new TableRoleStore(tables.roles, storeOptions),
    conversations: new TableConversationStore(tables.conversations, storeOptions),
    reminders: new TableReminderStore(tables.reminders, storeOptions),
    sessions: new TableQuestionnaireSessionStore(tables.sessions, storeOptions),
    tenantSettings: new TableTenantSettingsStore(tables.tenantSettings, storeOptions),
  };
  const packs = rulePackCatalogue(options.rulePacks ?? rulePacks, DEFAULT_RULE_PACK_ID);
  const services = { config, logger, stores, packs, now };
  const bot = new CanShareBot(services, options.features ?? allFeatures);
  const adapter = createAdapter(config, logger);
  // Off by default under NODE_ENV=test (tests opt in), on otherwise; REMINDERS_ENABLED overrides both.
  const envSettings = reminderSettingsFrom(config);
  const reminderOptions = options.reminders === false ? undefined : options.reminders;
  const reminderSettings: ReminderSettings = {
    enabled: options.reminders !== false && (reminderOptions?.settings?.enabled ?? envSettings.enabled),
    limits: { ...envSettings.limits, ...reminderOptions?.settings?.limits },
    scheduler: { ...envSettings.scheduler, ...reminderOptions?.settings?.scheduler },
  };
  const reminders = createReminderSystem({
    scheduling:
      injected ??
      (await tableSchedulingStores(config.AZURE_STORAGE_CONNECTION_STRING, tables, reminderSettings, logger)),
    reminders: stores.reminders,
    conversations: stores.conversations,
    decisions: stores.decisions,
    sender: reminderOptions?.sender ?? new BotFrameworkSender(adapter, config.MICROSOFT_APP_ID ?? ''),
    composer: cardComposer,
    logger,
    now,
    owner: reminderOptions?.owner,
    settings: reminderSettings,
    isManager: (tenantId, aadObjectId) => isManager(services, tenantId, aadObjectId),
  });
  // Like reminders: off by default under NODE_ENV=test (tests opt in), on otherwise; RETENTION_PURGE_ENABLED overrides
  // both.
  const retentionEnv = retentionSettingsFrom(config);
  const retentionOptions = options.retention === false ? undefined : options.retention;
  const retention = createRetentionSystem({
    tables,
    logger,
    now,
    owner: retentionOptions?.owner,
    settings: {
      ...retentionEnv,
      ...retentionOptions?.settings,
      enabled: options.retention !== false && (retentionOptions?.settings?.enabled ?? retentionEnv.enabled),
    },
  });
  const server = createHttpServer({
    adapter,
    bot,
    logger,
    maxBodyBytes: config.MAX_BODY_BYTES,
    bodyTimeoutMs: config.BODY_TIMEOUT_MS,
    maxBodiesInFlight: config.MAX_BODIES_IN_FLIGHT,
    requireBearer: Boolean(config.MICROSOFT_APP_ID),
    // In-memory stores (feature tests) have no storage account to probe.
    readiness: (signal) => (injected ? Promise.resolve() : tables.decisions.getAccessPolicy({ abortSignal: signal })),
    // Signed, short-lived CSV export links: the records feature's export service behind the route.
    // … and the team summary's chart, behind links of the same kind.
    extraRoutes: (s) => {
      registerDownloadRoutes(s, { logger, now, exports: decisionExport(services) });
      registerChartRoute(s, { logger, charts: summaryCharts(services) });
    },
  });

  return {
    config,
    logger,
    tables,
    stores,
    adapter,
    bot,
    server,
    reminders,
    retention,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => {
          reminders.start();
          retention.start();
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: async () => {
      await reminders.stop();
      await retention.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
