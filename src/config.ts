/**
 * Configuration from environment variables, parsed once with zod at start-up.
 *
 * A bad value stops the process with a message that names the variable, so a mis-set App Service
 * setting is found at deploy time rather than at the first practitioner's question.
 */
import { z } from 'zod';
import { schedulerEnvShape } from './schedulerConfig';

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guid = z.string().regex(GUID_PATTERN, 'must be a GUID');

/** Comma-separated list → array of trimmed, non-empty items. */
const csv = (item: z.ZodType<string, string>) =>
  z
    .string()
    .optional()
    .transform((s) =>
      (s ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);

export const DEV_STORAGE_CONNECTION_STRING = 'UseDevelopmentStorage=true';

/**
 * The storage emulator's (Azurite's) published account and key. They are the same on every
 * machine, so a production deployment using them would hold records under a key anyone knows.
 */
export const EMULATOR_ACCOUNT_NAME = 'devstoreaccount1';
export const EMULATOR_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** Signs links and card state outside production when SIGNING_SECRET is unset; refused in production. */
export const DEVELOPMENT_SIGNING_SECRET = 'local-development-signing-secret-not-for-production-use';

/** A `<tenantId>:<objectId>` entry of MANAGER_AAD_OBJECT_IDS / ADMIN_AAD_OBJECT_IDS, lower-cased. */
export interface TenantMember {
  tenantId: string;
  aadObjectId: string;
}

/**
 * A configured manager or admin, bound to the tenant they act in. A bare object id is refused
 * always: the same person object id means nothing outside its tenant, and tying it to "the" allowed
 * tenant would silently widen it to every tenant the day a second one is allowed.
 */
const tenantMember = z.string().transform((entry, ctx): TenantMember => {
  const [tenantId, aadObjectId, ...rest] = entry.split(':').map((part) => part.trim());
  if (rest.length === 0 && tenantId && aadObjectId && GUID_PATTERN.test(tenantId) && GUID_PATTERN.test(aadObjectId)) {
    return { tenantId: tenantId.toLowerCase(), aadObjectId: aadObjectId.toLowerCase() };
  }
  ctx.addIssue({
    code: 'custom',
    message:
      aadObjectId === undefined && tenantId && GUID_PATTERN.test(tenantId)
        ? 'entries must name their tenant: <tenantId>:<objectId> (a bare object id is not accepted)'
        : 'entries must be <tenantId>:<objectId>, both GUIDs',
  });
  return z.NEVER;
});

/** Comma-separated `<tenantId>:<objectId>` list. */
const tenantMembers = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(tenantMember));

/** `key=value;…` pairs of a storage connection string, keys lower-cased. */
function connectionStringParts(s: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const piece of s.split(';')) {
    const eq = piece.indexOf('=');
    if (eq > 0) parts.set(piece.slice(0, eq).trim().toLowerCase(), piece.slice(eq + 1).trim());
  }
  return parts;
}

/** Why a connection string is the emulator's or unencrypted (undefined when it is neither). Never echoes the value. */
export function developmentStorageProblem(s: string): string | undefined {
  const parts = connectionStringParts(s);
  if (parts.get('usedevelopmentstorage')?.toLowerCase() === 'true' || parts.has('developmentstorageproxyuri'))
    return 'must name a real storage account when NODE_ENV=production (not UseDevelopmentStorage=true)';
  if (parts.get('accountname')?.toLowerCase() === EMULATOR_ACCOUNT_NAME)
    return `must name a real storage account when NODE_ENV=production (not the emulator's ${EMULATOR_ACCOUNT_NAME})`;
  if (parts.get('accountkey') === EMULATOR_ACCOUNT_KEY)
    return "must not use the storage emulator's well-known account key when NODE_ENV=production";
  if (parts.get('defaultendpointsprotocol')?.toLowerCase() === 'http')
    return 'must use https when NODE_ENV=production (DefaultEndpointsProtocol=http)';
  for (const [key, value] of parts) {
    if (key.endsWith('endpoint') && /^http:/i.test(value))
      return 'must use https:// endpoints when NODE_ENV=production';
  }
  return undefined;
}

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
        message:
          'must be an Azure Storage connection string (with AccountName=… or TableEndpoint=…) or UseDevelopmentStorage=true',
      }),
    /** Tenants whose activities are served; empty = any tenant (only allowed outside production). */
    ALLOWED_TENANT_IDS: csv(guid.or(z.literal('*'))),
    /** `<tenantId>:<objectId>` of managers who may query that tenant's decisions (besides the roles table). */
    MANAGER_AAD_OBJECT_IDS: tenantMembers,
    /** `<tenantId>:<objectId>` of admins who may grant and revoke the manager role in that tenant. */
    ADMIN_AAD_OBJECT_IDS: tenantMembers,
    /** Largest accepted request body, in bytes. */
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(262_144),
    /**
     * Longest time a request body may take to arrive, in ms. Bodies are read before the request can
     * be authenticated, so a slow sender is cut off (408) rather than held.
     */
    BODY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** Request bodies read at once (per instance); beyond it requests get 503 without being read. */
    MAX_BODIES_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(100),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Public base URL of the bot (https://host), used for signed download links. */
    PUBLIC_BASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
    /** Secret for signing short-lived links and card state; required in production. */
    SIGNING_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
    RETENTION_DAYS: z.coerce.number().int().min(30).max(36_500).default(2_557),
    /** How long after a share without consent before reminding that the subject has not been told. */
    FOLLOW_UP_REMINDER_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(72),
    /** How long after an urgent share before reminding the practitioner to record the decision (then daily). */
    URGENT_FOLLOW_UP_REMINDER_HOURS: z.coerce.number().int().min(1).max(72).default(2),
    /**
     * OpenID metadata document listing the keys that sign the Bot Framework channel's tokens.
     * Unset = the public cloud's (login.botframework.com). Only for a cloud whose channel publishes
     * its keys elsewhere, or for tests with a local stand-in; must be https:// in production.
     */
    BOT_OPENID_METADATA_URL: z.preprocess(
      emptyAsUndefined,
      z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    // In production every request must be authenticated, so the app credentials are mandatory.
    if (!env.MICROSOFT_APP_ID)
      ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_ID'], message: 'is required when NODE_ENV=production' });
    if (!env.MICROSOFT_APP_PASSWORD && env.MICROSOFT_APP_TYPE !== 'UserAssignedMSI')
      ctx.addIssue({
        code: 'custom',
        path: ['MICROSOFT_APP_PASSWORD'],
        message: 'is required when NODE_ENV=production',
      });
    if (env.ALLOWED_TENANT_IDS.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['ALLOWED_TENANT_IDS'],
        message: "is required when NODE_ENV=production (list tenant ids, or '*' to allow any)",
      });
    if (!env.SIGNING_SECRET)
      ctx.addIssue({ code: 'custom', path: ['SIGNING_SECRET'], message: 'is required when NODE_ENV=production' });
    // The emulator's account and key are published, and http would carry the key's signatures and
    // every record in clear: neither belongs in production.
    const storageProblem = developmentStorageProblem(env.AZURE_STORAGE_CONNECTION_STRING);
    if (storageProblem)
      ctx.addIssue({ code: 'custom', path: ['AZURE_STORAGE_CONNECTION_STRING'], message: storageProblem });
    // The development secret is in this repository, so anyone could sign links and card state with it.
    if (env.SIGNING_SECRET === DEVELOPMENT_SIGNING_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['SIGNING_SECRET'],
        message: 'must not be the development secret from the repository when NODE_ENV=production',
      });
    // Signing keys fetched over plain http could be swapped in transit, and then any token would pass.
    if (env.BOT_OPENID_METADATA_URL && !/^https:\/\//i.test(env.BOT_OPENID_METADATA_URL))
      ctx.addIssue({
        code: 'custom',
        path: ['BOT_OPENID_METADATA_URL'],
        message: 'must be an https:// URL when NODE_ENV=production',
      });
  })
  .superRefine((env, ctx) => {
    // A configured manager or admin of a tenant the bot does not serve is a typo, or a grant to the wrong organisation.
    const allowed = new Set(env.ALLOWED_TENANT_IDS.map((t) => t.toLowerCase()));
    if (allowed.size === 0 || allowed.has('*')) return;
    for (const name of ['MANAGER_AAD_OBJECT_IDS', 'ADMIN_AAD_OBJECT_IDS'] as const) {
      if (env[name].some((m) => !allowed.has(m.tenantId)))
        ctx.addIssue({ code: 'custom', path: [name], message: 'names a tenant that is not in ALLOWED_TENANT_IDS' });
    }
  })
  .superRefine((env, ctx) => {
    if (env.MICROSOFT_APP_TYPE === 'SingleTenant' && env.MICROSOFT_APP_ID && !env.MICROSOFT_APP_TENANT_ID)
      ctx.addIssue({
        code: 'custom',
        path: ['MICROSOFT_APP_TENANT_ID'],
        message: 'is required when MICROSOFT_APP_TYPE=SingleTenant',
      });
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
  return config.SIGNING_SECRET ?? DEVELOPMENT_SIGNING_SECRET;
}
