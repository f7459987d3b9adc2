/**
 * Teams app package: placeholder substitution, validation and zipping, as pure functions.
 *
 * `scripts/package-app.ts` wires these to the file system; the unit tests call them directly.
 * Every problem is reported with a JSON path (`$.bots[0].scopes`) or the name of the environment
 * variable at fault, so a failed `npm run package` says exactly what to fix.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { PNG } from 'pngjs';

/** The manifest schema version this project targets (see docs/deployment.md for why). */
export const MANIFEST_VERSION = '1.28';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const MANIFEST_DIR = path.join(PROJECT_ROOT, 'manifest');
export const TEMPLATE_PATH = path.join(MANIFEST_DIR, 'manifest.template.json');

/** Teams' own limits that the v1.28 schema does not enforce (it allows longer bot command titles and 12 commands). */
export const LIMITS = {
  commandsPerList: 10,
  commandTitle: 32,
  commandDescription: 128,
  nameShort: 30,
  nameFull: 100,
  descriptionShort: 80,
  descriptionFull: 4000,
} as const;

export const ICON_SIZES = { color: 192, outline: 32 } as const;

/** Every bot scope this app is designed for; a manifest without one of them is a packaging mistake. */
export const REQUIRED_BOT_SCOPES = ['personal', 'team', 'groupChat'] as const;

export interface Problem {
  /** JSON path in the manifest (`$.bots[0].botId`), a variable name (`env BOT_ID`) or a file (`manifest/color.png`). */
  path: string;
  message: string;
}

export type Manifest = Record<string, unknown>;

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A DNS host name: labels of letters, digits and hyphens; a leading `*.` wildcard label is allowed in validDomains. */
const HOSTNAME_RE =
  /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const SEMVER_RE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const PLACEHOLDER_RE = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export const isGuid = (s: unknown): s is string => typeof s === 'string' && GUID_RE.test(s);
export const isHostname = (s: unknown): s is string => typeof s === 'string' && HOSTNAME_RE.test(s);

// ---------------------------------------------------------------------------------------------
// Environment variables and placeholder substitution
// ---------------------------------------------------------------------------------------------

interface VariableSpec {
  /** Used when the variable is unset or empty; a function may derive it from the others. */
  default?: string | ((env: Readonly<Record<string, string>>) => string);
  check?: (value: string) => string | undefined;
  description: string;
}

const httpsUrl = (v: string) => (/^https:\/\/[^\s/]+/i.test(v) ? undefined : 'must be an https:// URL');

/** The variables the template may use. Required ones have no default. */
export const VARIABLES: Record<string, VariableSpec> = {
  TEAMS_APP_ID: {
    description: 'Teams app id (a GUID; Agents Toolkit teamsApp/create writes it)',
    check: (v) => (isGuid(v) ? undefined : 'must be a GUID like 00000000-0000-0000-0000-000000000000'),
  },
  BOT_ID: {
    description: 'Microsoft App ID of the bot (the Entra app registration client id, a GUID)',
    check: (v) => (isGuid(v) ? undefined : 'must be a GUID like 00000000-0000-0000-0000-000000000000'),
  },
  BOT_DOMAIN: {
    description: "the bot's public host name, e.g. can-i-share.azurewebsites.net (no https://, port or path)",
    check: (v) => {
      if (/:\/\//.test(v)) return 'must be a host name without a scheme (drop the https://)';
      if (/:\d+$/.test(v)) return 'must be a host name without a port';
      if (/[/?#]/.test(v)) return 'must be a host name without a path';
      if (v.startsWith('*')) return 'must be the exact host name, not a wildcard';
      return isHostname(v) ? undefined : 'must be a host name such as can-i-share.azurewebsites.net';
    },
  },
  APP_VERSION: {
    description: 'app package version (semver x.y.z); raise it for every update uploaded to Teams',
    default: '1.0.0',
    check: (v) => (SEMVER_RE.test(v) ? undefined : 'must be a version like 1.2.3'),
  },
  DEVELOPER_NAME: {
    description: 'publisher name shown in Teams (at most 32 characters)',
    default: 'Can I share? project',
    check: (v) => (v.length <= 32 ? undefined : 'must be at most 32 characters'),
  },
  DEVELOPER_WEBSITE_URL: {
    description: 'publisher or support web page',
    default: (env) => `https://${env.BOT_DOMAIN ?? 'example.invalid'}/`,
    check: httpsUrl,
  },
  PRIVACY_URL: {
    description: 'privacy notice URL',
    default: (env) => `https://${env.BOT_DOMAIN ?? 'example.invalid'}/privacy`,
    check: httpsUrl,
  },
  TERMS_OF_USE_URL: {
    description: 'terms of use URL',
    default: (env) => `https://${env.BOT_DOMAIN ?? 'example.invalid'}/terms`,
    check: httpsUrl,
  },
};

/** Names of the `${{NAME}}` placeholders in a template, in order of first appearance. */
export function placeholdersIn(template: string): string[] {
  const names = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER_RE)) names.add(m[1] as string);
  return [...names];
}

/**
 * Resolves every placeholder the template uses from `env`, applying defaults and checks.
 * Problems name the variable (`env BOT_ID`) and never echo values of unknown variables.
 */
export function resolveVariables(
  template: string,
  env: Readonly<Record<string, string | undefined>>,
): { values: Record<string, string>; problems: Problem[] } {
  const problems: Problem[] = [];
  const present: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string' && v.trim() !== '') present[k] = v.trim();

  const values: Record<string, string> = {};
  for (const name of placeholdersIn(template)) {
    const spec = VARIABLES[name];
    let value = present[name];
    if (value === undefined && spec?.default !== undefined) {
      value = typeof spec.default === 'function' ? spec.default(present) : spec.default;
    }
    if (value === undefined) {
      const what = spec ? ` — ${spec.description}` : ' (the template uses it but this script has no default for it)';
      problems.push({ path: `env ${name}`, message: `is not set${what}` });
      continue;
    }
    const bad = spec?.check?.(value);
    if (bad) {
      problems.push({ path: `env ${name}`, message: `${bad} (got ${JSON.stringify(value)})` });
      continue;
    }
    values[name] = value;
  }
  return { values, problems };
}

/** Replaces `${{NAME}}` with the JSON-string-escaped value (placeholders always sit inside JSON strings). */
export function substitute(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER_RE, (whole, name: string) => {
    const v = values[name];
    return v === undefined ? whole : JSON.stringify(v).slice(1, -1);
  });
}

/** Template + environment → manifest object, or the list of problems that stop it. */
export function renderManifest(
  template: string,
  env: Readonly<Record<string, string | undefined>>,
): { manifest?: Manifest; text?: string; problems: Problem[] } {
  const { values, problems } = resolveVariables(template, env);
  if (problems.length) return { problems };
  const text = substitute(template, values);
  try {
    const manifest = JSON.parse(text) as unknown;
    if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) {
      return { problems: [{ path: '$', message: 'the manifest must be a JSON object' }] };
    }
    return { manifest: manifest as Manifest, text, problems: [] };
  } catch (err) {
    return {
      problems: [
        { path: '$', message: `the manifest is not valid JSON after substitution: ${(err as Error).message}` },
      ],
    };
  }
}

// ---------------------------------------------------------------------------------------------
// JSON schema validation
// ---------------------------------------------------------------------------------------------

export interface LoadedSchema {
  schema: Record<string, unknown>;
  /** The manifest schema version, e.g. `1.28`. */
  version: string;
  /** Absolute path of Microsoft's MicrosoftTeams.schema.json inside @microsoft/app-manifest. */
  file: string;
}

const APP_MANIFEST_PACKAGE = '@microsoft/app-manifest';

/** The folder holding one directory per manifest version (`v1.28/`) in @microsoft/app-manifest. */
export function officialSchemaDir(): string {
  let pkgJson: string;
  try {
    pkgJson = require.resolve(`${APP_MANIFEST_PACKAGE}/package.json`, { paths: [PROJECT_ROOT] });
  } catch {
    throw new Error(
      `${APP_MANIFEST_PACKAGE} is not installed; it ships Microsoft's Teams manifest schemas (run npm ci)`,
    );
  }
  return path.join(path.dirname(pkgJson), 'build', 'json-schemas', 'teams');
}

/** Path of Microsoft's official schema for a manifest version, as bundled in @microsoft/app-manifest. */
export function officialSchemaPath(version: string = MANIFEST_VERSION): string {
  return path.join(officialSchemaDir(), `v${version}`, 'MicrosoftTeams.schema.json');
}

/** The version in a manifest `$schema` URL (`…/teams/v1.28/MicrosoftTeams.schema.json` → `1.28`). */
export function schemaUrlVersion(url: unknown): string | undefined {
  return typeof url === 'string' ? /\/v(\d+\.\d+)\/MicrosoftTeams\.schema\.json$/i.exec(url)?.[1] : undefined;
}

/**
 * Loads Microsoft's official MicrosoftTeams.schema.json for `version` (default: the version this
 * project targets) from @microsoft/app-manifest, and checks that the file really is that version
 * (its `manifestVersion` const), so a package layout change cannot silently validate against the
 * wrong schema.
 */
export function loadManifestSchema(version: string = MANIFEST_VERSION): LoadedSchema {
  const file = officialSchemaPath(version);
  if (!existsSync(file)) {
    const dir = officialSchemaDir();
    const have = existsSync(dir)
      ? readdirSync(dir)
          .filter((d) => /^v\d/.test(d))
          .sort()
          .join(', ')
      : 'none';
    throw new Error(
      `${APP_MANIFEST_PACKAGE} has no Teams manifest schema for v${version} (expected ${file}; it has: ${have})`,
    );
  }
  const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const constVersion = asRecord(asRecord(schema.properties).manifestVersion).const;
  if (constVersion !== version) {
    throw new Error(
      `${file} is not the v${version} manifest schema (its manifestVersion is ${JSON.stringify(constVersion)})`,
    );
  }
  return { schema, version, file };
}

/** `/bots/0/commandLists/1` → `$.bots[0].commandLists[1]` */
export function jsonPointerToPath(pointer: string): string {
  if (!pointer) return '$';
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((seg) =>
        /^\d+$/.test(seg) ? `[${seg}]` : /^[A-Za-z_$][\w$]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`,
      )
      .join('')
  );
}

function describeAjvError(e: ErrorObject): Problem {
  let where = jsonPointerToPath(e.instancePath);
  let message = e.message ?? 'is invalid';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      where = `${where}.${String(p.additionalProperty)}`;
      message = 'is not a property the schema allows';
      break;
    case 'required':
      where = `${where}.${String(p.missingProperty)}`;
      message = 'is required';
      break;
    case 'enum':
      message = `must be one of ${JSON.stringify(p.allowedValues)}`;
      break;
    case 'const':
      message = `must be ${JSON.stringify(p.allowedValue)}`;
      break;
    case 'pattern':
      if (/botId$|\.id$/.test(where)) message = 'must be a GUID';
      else message = `must match ${String(p.pattern)}`;
      break;
  }
  return { path: where, message: `${message} (schema: ${e.schemaPath})` };
}

const validatorCache = new WeakMap<object, ValidateFunction>();

/**
 * Validates against a JSON schema with ajv (all errors, ajv-formats). Microsoft's
 * MicrosoftTeams.schema.json declares draft-04 but uses draft-06/07 keywords (`const`,
 * `if`/`then`) and none of draft-04's own forms (boolean `exclusiveMaximum`, `id`), so its
 * draft-04 `$schema` header is dropped and it is compiled as draft-07, with strict mode off
 * (the schema carries non-standard annotations that strict mode rejects).
 */
export function validateAgainstSchema(manifest: unknown, schema: Record<string, unknown>): Problem[] {
  let validate = validatorCache.get(schema);
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
    addFormats(ajv);
    const copy: Record<string, unknown> = { ...schema };
    if (typeof copy.$schema === 'string' && copy.$schema.includes('draft-04')) delete copy.$schema;
    validate = ajv.compile(copy);
    validatorCache.set(schema, validate);
  }
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map(describeAjvError);
}

// ---------------------------------------------------------------------------------------------
// Teams rules that the schema does not express
// ---------------------------------------------------------------------------------------------

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** Length as Teams counts it: user-perceived characters (code points), not UTF-16 units. */
const len = (s: string) => [...s].length;

function tooLong(problems: Problem[], where: string, value: unknown, max: number): void {
  const s = str(value);
  if (s !== undefined && len(s) > max) {
    problems.push({ path: where, message: `is ${len(s)} characters; Teams allows at most ${max}` });
  }
}

/** Rules Teams applies on upload (or this app depends on) beyond the JSON schema. */
export function validateTeamsRules(manifest: Manifest): Problem[] {
  const problems: Problem[] = [];

  const leftovers = JSON.stringify(manifest).match(/\$\{\{[^}]*\}\}/g);
  if (leftovers)
    problems.push({ path: '$', message: `has unsubstituted placeholders: ${[...new Set(leftovers)].join(', ')}` });

  if (manifest.manifestVersion !== MANIFEST_VERSION) {
    problems.push({
      path: '$.manifestVersion',
      message: `must be "${MANIFEST_VERSION}" (the schema version this project validates against)`,
    });
  }
  const schemaUrl = str(manifest.$schema);
  if (schemaUrl && schemaUrlVersion(schemaUrl) !== MANIFEST_VERSION) {
    problems.push({
      path: '$.$schema',
      message: `must be the v${MANIFEST_VERSION} schema URL (…/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json) to match manifestVersion`,
    });
  }
  if (!isGuid(manifest.id)) problems.push({ path: '$.id', message: 'must be a GUID (the Teams app id)' });
  if (!SEMVER_RE.test(str(manifest.version) ?? ''))
    problems.push({ path: '$.version', message: 'must be a version like 1.2.3' });

  const name = asRecord(manifest.name);
  tooLong(problems, '$.name.short', name.short, LIMITS.nameShort);
  tooLong(problems, '$.name.full', name.full, LIMITS.nameFull);
  const description = asRecord(manifest.description);
  tooLong(problems, '$.description.short', description.short, LIMITS.descriptionShort);
  tooLong(problems, '$.description.full', description.full, LIMITS.descriptionFull);
  if (str(description.short) && description.short === description.full) {
    problems.push({ path: '$.description.full', message: 'must not be the same as description.short' });
  }

  const icons = asRecord(manifest.icons);
  for (const key of ['color', 'outline'] as const) {
    const file = str(icons[key]);
    if (file !== undefined && (file.includes('/') || file.includes('\\') || !/\.png$/i.test(file))) {
      problems.push({ path: `$.icons.${key}`, message: 'must be a .png file name at the root of the package' });
    }
  }

  const bots = asArray(manifest.bots);
  if (bots.length !== 1) problems.push({ path: '$.bots', message: 'must declare exactly one bot' });
  bots.forEach((botValue, b) => {
    const bot = asRecord(botValue);
    const at = `$.bots[${b}]`;
    if (!isGuid(bot.botId))
      problems.push({ path: `${at}.botId`, message: 'must be a GUID (the Microsoft App ID of the bot)' });
    const scopes = asArray(bot.scopes).map(String);
    for (const need of REQUIRED_BOT_SCOPES) {
      if (!scopes.includes(need)) problems.push({ path: `${at}.scopes`, message: `is missing the "${need}" scope` });
    }
    if (bot.supportsFiles !== true) {
      problems.push({
        path: `${at}.supportsFiles`,
        message: 'must be true (CSV export sends a file in personal chat)',
      });
    }
    const covered = new Set<string>();
    asArray(bot.commandLists).forEach((listValue, l) => {
      const list = asRecord(listValue);
      const lat = `${at}.commandLists[${l}]`;
      for (const s of asArray(list.scopes).map(String)) {
        if (!scopes.includes(s))
          problems.push({ path: `${lat}.scopes`, message: `names "${s}", which is not one of the bot's scopes` });
        if (covered.has(s)) problems.push({ path: `${lat}.scopes`, message: `"${s}" already has a command list` });
        covered.add(s);
      }
      const commands = asArray(list.commands);
      if (commands.length > LIMITS.commandsPerList) {
        problems.push({
          path: `${lat}.commands`,
          message: `has ${commands.length} commands; Teams shows at most ${LIMITS.commandsPerList}`,
        });
      }
      const titles = new Set<string>();
      commands.forEach((cmdValue, c) => {
        const cmd = asRecord(cmdValue);
        const cat = `${lat}.commands[${c}]`;
        const title = str(cmd.title);
        if (!title?.trim()) problems.push({ path: `${cat}.title`, message: 'must not be empty' });
        tooLong(problems, `${cat}.title`, cmd.title, LIMITS.commandTitle);
        if (!str(cmd.description)?.trim()) problems.push({ path: `${cat}.description`, message: 'must not be empty' });
        tooLong(problems, `${cat}.description`, cmd.description, LIMITS.commandDescription);
        if (title) {
          const key = title.trim().toLowerCase();
          if (titles.has(key)) problems.push({ path: `${cat}.title`, message: `repeats "${title}" in the same list` });
          titles.add(key);
        }
      });
    });
    for (const s of scopes) {
      if (!covered.has(s))
        problems.push({ path: `${at}.commandLists`, message: `has no command list for the "${s}" scope` });
    }
  });

  const domains = asArray(manifest.validDomains);
  domains.forEach((d, i) => {
    const at = `$.validDomains[${i}]`;
    const s = str(d) ?? '';
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s))
      problems.push({ path: at, message: `must be a host name without a scheme (got ${JSON.stringify(s)})` });
    else if (/:\d*$/.test(s) || /:\d+\//.test(s))
      problems.push({ path: at, message: `must not include a port (got ${JSON.stringify(s)})` });
    else if (/[/?#]/.test(s))
      problems.push({ path: at, message: `must not include a path (got ${JSON.stringify(s)})` });
    else if (!isHostname(s))
      problems.push({ path: at, message: `is not a valid host name (got ${JSON.stringify(s)})` });
  });
  return problems;
}

/** The bot's host must be listed in validDomains. */
export function validateBotDomainListed(manifest: Manifest, botDomain: string): Problem[] {
  const domains = asArray(manifest.validDomains).map(String);
  return domains.some((d) => d.toLowerCase() === botDomain.toLowerCase())
    ? []
    : [{ path: '$.validDomains', message: `must include the bot's host ${botDomain}` }];
}

// ---------------------------------------------------------------------------------------------
// Icons
// ---------------------------------------------------------------------------------------------

export type IconKind = keyof typeof ICON_SIZES;

/** Checks one icon's bytes: a PNG of the exact size; the outline icon only white or transparent. */
export function validateIcon(kind: IconKind, bytes: Buffer | undefined, label: string): Problem[] {
  if (!bytes) return [{ path: label, message: `is missing (the ${kind} icon must be in manifest/)` }];
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch (err) {
    return [{ path: label, message: `is not a readable PNG: ${(err as Error).message}` }];
  }
  const size = ICON_SIZES[kind];
  const problems: Problem[] = [];
  if (png.width !== size || png.height !== size) {
    problems.push({
      path: label,
      message: `is ${png.width}×${png.height}; the ${kind} icon must be exactly ${size}×${size} pixels`,
    });
  }
  if (kind === 'outline') {
    let coloured = 0;
    let opaqueWhite = 0;
    let first: string | undefined;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b, a] = [png.data[i], png.data[i + 1], png.data[i + 2], png.data[i + 3]] as number[];
      if (a === 0) continue;
      if (r === 255 && g === 255 && b === 255) {
        opaqueWhite++;
        continue;
      }
      coloured++;
      if (!first) {
        const p = i / 4;
        first = `(${p % png.width},${Math.floor(p / png.width)}) is rgba(${r},${g},${b},${a})`;
      }
    }
    if (coloured) {
      problems.push({
        path: label,
        message: `must be white on transparent only: ${coloured} pixel(s) have colour, first at ${first}`,
      });
    }
    if (!opaqueWhite) problems.push({ path: label, message: 'has no white pixels, so it would be invisible' });
  } else {
    let transparent = 0;
    for (let i = 3; i < png.data.length; i += 4) if ((png.data[i] as number) === 0) transparent++;
    if (transparent === png.width * png.height) problems.push({ path: label, message: 'is fully transparent' });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Whole package
// ---------------------------------------------------------------------------------------------

export interface PackageInput {
  manifest: Manifest;
  /** Icon bytes keyed by the file name the manifest gives (`color.png`, `outline.png`). */
  files: Readonly<Record<string, Buffer | undefined>>;
  /** The official schema object, from `loadManifestSchema().schema`. */
  schema: Record<string, unknown>;
  botDomain?: string;
}

/** All checks: schema, Teams rules and icons. An empty list means the package may be built. */
export function validatePackage({ manifest, files, schema, botDomain }: PackageInput): Problem[] {
  const problems = [...validateAgainstSchema(manifest, schema), ...validateTeamsRules(manifest)];
  if (botDomain) problems.push(...validateBotDomainListed(manifest, botDomain));
  const icons = asRecord(manifest.icons);
  for (const kind of ['color', 'outline'] as const) {
    const file = str(icons[kind]);
    if (!file) continue; // the schema has already said it is required
    problems.push(...validateIcon(kind, files[file], `manifest/${file} ($.icons.${kind})`));
  }
  // The same text can come from the schema and our rules; say it once.
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Zip with manifest.json and the two icons at the root, nothing else. */
export async function buildZip(
  manifest: Manifest,
  files: Readonly<Record<string, Buffer | undefined>>,
): Promise<Buffer> {
  // A fixed date keeps the zip byte-for-byte reproducible for the same inputs.
  const date = new Date(Date.UTC(2020, 0, 1));
  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2) + '\n', { date });
  const icons = asRecord(manifest.icons);
  for (const kind of ['color', 'outline'] as const) {
    const name = str(icons[kind]);
    const bytes = name ? files[name] : undefined;
    if (!name || !bytes) throw new Error(`icon for ${kind} is missing; validate the package before zipping`);
    zip.file(name, bytes, { date, binary: true });
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/** One line per problem, for a terminal. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n');
}

/** Minimal .env reader (KEY=VALUE, # comments, optional quotes) for Agents Toolkit env files. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line
      .slice(0, eq)
      .trim()
      .replace(/^export\s+/, '');
    let value = line.slice(eq + 1).trim();
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))
      value = value.slice(1, -1);
    out[key] = value;
  }
  return out;
}
