/**
 * Configuration from environment variables, parsed once with zod at start-up.
 *
 * A bad value stops the process with a message that names the variable, so a mis-set App Service
 * setting is found at deploy time rather than at the first practitioner's question.
 */
import { z } from 'zod';
import { schedulerEnvShape } from './schedulerConfig';

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');

/** Comma-separated list → array of trimmed, non-empty items. */
const csv = (item: z.ZodType<string, string>) =>
  z
    .string()
    .optional()
    .transform((s) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item));

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);

export const DEV_STORAGE_CONNECTION_STRING = 'UseDevelopmentStorage=true';

const EnvSchema = z
  .object({
    /** Reminder and retention scheduler settings (src/schedulerConfig.ts). */
    ...schedulerEnvShape,
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: z.string().min(1).default('0.0.0.0'),
    MICROSOFT_APP_ID: z.preprocess(emptyAsUndefined, guid.optional()),
    MICROSOFT_APP_PASSWORD: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
    MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    MICROSOFT_APP_TENANT_ID: z.preprocess(emptyAsUndefined, guid.optional()),
    AZURE_STORAGE_CONNECTION_STRING: z
      .string()
      .min(1)
      .default(DEV_STORAGE_CONNECTION_STRING)
      .refine((s) => s === DEV_STORAGE_CONNECTION_STRING || /(^|;)(TableEndpoint|AccountName)=/i.test(s), {
        message: 'must be an Azure Storage connection string (with AccountName=… or TableEndpoint=…) or UseDevelopmentStorage=true',
      }),
    /** Tenants whose activities are served; empty = any tenant (only allowed outside production). */
    ALLOWED_TENANT_IDS: csv(guid.or(z.literal('*'))),
    /** AAD object ids of managers who may query their tenant's decisions (besides the roles table). */
    MANAGER_AAD_OBJECT_IDS: csv(guid),
    /** AAD object ids of admins who may grant and revoke the manager role. */
    ADMIN_AAD_OBJECT_IDS: csv(guid),
    /** Largest accepted request body, in bytes. */
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(262_144),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Public base URL of the bot (https://host), used for signed download links. */
    PUBLIC_BASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
    /** Secret for signing short-lived links and card state; required in production. */
    SIGNING_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
    RETENTION_DAYS: z.coerce.number().int().min(30).max(36_500).default(2_557),
    /** How long after a share without consent before reminding that the subject has not been told. */
    FOLLOW_UP_REMINDER_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(72),
    /**
     * OpenID metadata document listing the keys that sign the Bot Framework channel's tokens.
     * Unset = the public cloud's (login.botframework.com). Only for a cloud whose channel publishes
     * its keys elsewhere, or for tests with a local stand-in; must be https:// in production.
     */
    BOT_OPENID_METADATA_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional()),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    // In production every request must be authenticated, so the app credentials are mandatory.
    if (!env.MICROSOFT_APP_ID) ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_ID'], message: 'is required when NODE_ENV=production' });
    if (!env.MICROSOFT_APP_PASSWORD && env.MICROSOFT_APP_TYPE !== 'UserAssignedMSI')
      ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_PASSWORD'], message: 'is required when NODE_ENV=production' });
    if (env.ALLOWED_TENANT_IDS.length === 0)
      ctx.addIssue({ code: 'custom', path: ['ALLOWED_TENANT_IDS'], message: "is required when NODE_ENV=production (list tenant ids, or '*' to allow any)" });
    if (!env.SIGNING_SECRET) ctx.addIssue({ code: 'custom', path: ['SIGNING_SECRET'], message: 'is required when NODE_ENV=production' });
    if (env.AZURE_STORAGE_CONNECTION_STRING === DEV_STORAGE_CONNECTION_STRING)
      ctx.addIssue({ code: 'custom', path: ['AZURE_STORAGE_CONNECTION_STRING'], message: 'must name a real storage account when NODE_ENV=production' });
    // Signing keys fetched over plain http could be swapped in transit, and then any token would pass.
    if (env.BOT_OPENID_METADATA_URL && !/^https:\/\//i.test(env.BOT_OPENID_METADATA_URL))
      ctx.addIssue({ code: 'custom', path: ['BOT_OPENID_METADATA_URL'], message: 'must be an https:// URL when NODE_ENV=production' });
  })
  .superRefine((env, ctx) => {
    if (env.MICROSOFT_APP_TYPE === 'SingleTenant' && env.MICROSOFT_APP_ID && !env.MICROSOFT_APP_TENANT_ID)
      ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_TENANT_ID'], message: 'is required when MICROSOFT_APP_TYPE=SingleTenant' });
  });

export type Config = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A zod error about environment variables, as a ConfigError naming each variable (values are never echoed). */
export function configErrorFrom(error: z.ZodError): ConfigError {
  return new ConfigError(error.issues.map((i) => `${i.path.join('.') || '(environment)'} ${i.message}`));
}

/** Parses the environment. Throws ConfigError naming every bad variable (never echoing secret values). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw configErrorFrom(parsed.error);
}

/** A development signing secret, used only when none is configured outside production. */
export function signingSecretOf(config: Config): string {
  return config.SIGNING_SECRET ?? 'local-development-signing-secret-not-for-production-use';
}
