/**
 * Teams app package: the real template validates with test values, bad manifests are rejected
 * with messages that name the problem, and the zip holds exactly manifest.json and two icons.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ManifestUtil } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { drawColorIcon, drawOutlineIcon } from '../../../scripts/lib/make-icons';
import {
  LIMITS,
  MANIFEST_DIR,
  MANIFEST_VERSION,
  TEMPLATE_PATH,
  buildZip,
  formatProblems,
  jsonPointerToPath,
  loadManifestSchema,
  officialSchemaPath,
  parseEnvFile,
  renderManifest,
  schemaUrlVersion,
  validateAgainstSchema,
  validateIcon,
  validatePackage,
  validateTeamsRules,
  type Manifest,
  type Problem,
} from '../../../scripts/lib/manifest';

const TEST_ENV = {
  TEAMS_APP_ID: '11111111-2222-4333-8444-555555555555',
  BOT_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  BOT_DOMAIN: 'can-i-share-test.azurewebsites.net',
};

const template = readFileSync(TEMPLATE_PATH, 'utf8');
const icons = {
  'color.png': readFileSync(path.join(MANIFEST_DIR, 'color.png')),
  'outline.png': readFileSync(path.join(MANIFEST_DIR, 'outline.png')),
};
// Microsoft's official schema, bundled in the @microsoft/app-manifest dev dependency.
const loaded = loadManifestSchema();
const schema = loaded.schema;

function goodManifest(): Manifest {
  const { manifest, problems } = renderManifest(template, TEST_ENV);
  assert.deepEqual(problems, []);
  assert.ok(manifest);
  return structuredClone(manifest);
}

type Bot = Record<string, unknown> & {
  scopes: string[];
  commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[];
};

function bot(m: Manifest): Bot {
  const first = (m.bots as Bot[] | undefined)?.[0];
  assert.ok(first, 'manifest has no bot');
  return first;
}

function solidPng(size: number, rgba: [number, number, number, number]): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < png.data.length; i += 4) png.data.set(rgba, i);
  return PNG.sync.write(png);
}

/** Asserts some problem sits at `pathPart` and its message matches `message`. */
function assertProblem(problems: Problem[], pathPart: string, message: RegExp): void {
  const hit = problems.find((p) => p.path.includes(pathPart) && message.test(p.message));
  assert.ok(hit, `expected a problem at ${pathPart} matching ${message}, got:\n${formatProblems(problems)}`);
}

describe('manifest template', () => {
  it('validates clean with test environment values', () => {
    const manifest = goodManifest();
    const problems = validatePackage({ manifest, files: icons, schema, botDomain: TEST_ENV.BOT_DOMAIN });
    assert.deepEqual(problems, [], formatProblems(problems));
  });

  it('targets the schema version the project validates against', () => {
    const m = goodManifest();
    assert.equal(m.manifestVersion, MANIFEST_VERSION);
    assert.match(
      String(m.$schema),
      new RegExp(`/v${MANIFEST_VERSION.replace('.', '\\.')}/MicrosoftTeams\\.schema\\.json$`),
    );
    // …and the schema it is validated against is the official file for that same version.
    assert.equal(schemaUrlVersion(m.$schema), loaded.version);
    assert.equal(m.manifestVersion, loaded.version);
    assert.equal(loaded.file, officialSchemaPath(String(m.manifestVersion)));
  });

  it('offers every command in each of the personal, team and group chat scopes', () => {
    const b = bot(goodManifest());
    assert.deepEqual(b.scopes, ['personal', 'team', 'groupChat']);
    assert.equal(b.supportsFiles, true);
    const expected = [
      'help',
      'start',
      'my decisions',
      'recent decisions',
      'case',
      'export',
      'reminders',
      'withdraw consent',
    ];
    for (const list of b.commandLists) {
      assert.deepEqual(
        list.commands.map((c) => c.title),
        expected,
        `commands for ${list.scopes.join(',')}`,
      );
    }
    assert.deepEqual(b.commandLists.flatMap((l) => l.scopes).sort(), ['groupChat', 'personal', 'team']);
  });

  it('puts the bot host in validDomains and leaves no placeholder behind', () => {
    const { text, manifest } = renderManifest(template, TEST_ENV);
    assert.ok(text && manifest);
    assert.ok(!text.includes('${{'), 'leftover ${{ in the rendered manifest');
    assert.deepEqual(manifest.validDomains, [TEST_ENV.BOT_DOMAIN]);
    assert.equal(bot(manifest).botId, TEST_ENV.BOT_ID);
    assert.equal(manifest.id, TEST_ENV.TEAMS_APP_ID);
  });
});

describe('environment variables', () => {
  it('names each missing required variable', () => {
    const { manifest, problems } = renderManifest(template, {});
    assert.equal(manifest, undefined);
    for (const name of ['TEAMS_APP_ID', 'BOT_ID', 'BOT_DOMAIN']) assertProblem(problems, `env ${name}`, /is not set/);
  });

  it('rejects a BOT_ID that is not a GUID and a BOT_DOMAIN with a scheme or port', () => {
    const a = renderManifest(template, { ...TEST_ENV, BOT_ID: 'my-bot' });
    assertProblem(a.problems, 'env BOT_ID', /must be a GUID/);
    const b = renderManifest(template, { ...TEST_ENV, BOT_DOMAIN: 'https://bot.example.com' });
    assertProblem(b.problems, 'env BOT_DOMAIN', /without a scheme/);
    const c = renderManifest(template, { ...TEST_ENV, BOT_DOMAIN: 'bot.example.com:443' });
    assertProblem(c.problems, 'env BOT_DOMAIN', /without a port/);
  });

  it('escapes values so a quote cannot break the JSON', () => {
    const { manifest, problems } = renderManifest(template, { ...TEST_ENV, DEVELOPER_NAME: 'Safe "Share" Ltd' });
    assert.deepEqual(problems, []);
    assert.equal((manifest?.developer as Record<string, string>).name, 'Safe "Share" Ltd');
  });

  it('reads Agents Toolkit env files', () => {
    assert.deepEqual(parseEnvFile('# c\nA=1\nB="two words"\n\nexport C=3\nBAD\n'), { A: '1', B: 'two words', C: '3' });
  });
});

describe('invalid manifests are rejected', () => {
  it('a bad app id GUID', () => {
    const m = goodManifest();
    m.id = 'not-a-guid';
    const problems = validatePackage({ manifest: m, files: icons, schema });
    assertProblem(problems, '$.id', /GUID/);
  });

  it('a bad botId GUID', () => {
    const m = goodManifest();
    bot(m).botId = '1234';
    const problems = validatePackage({ manifest: m, files: icons, schema });
    assertProblem(problems, '$.bots[0].botId', /GUID/);
  });

  it('a missing bot scope', () => {
    const m = goodManifest();
    const b = bot(m);
    b.scopes = ['personal', 'groupChat'];
    const problems = validateTeamsRules(m);
    assertProblem(problems, '$.bots[0].scopes', /missing the "team" scope/);
    assertProblem(problems, '$.bots[0].commandLists[1].scopes', /"team", which is not one of the bot's scopes/);
  });

  it('a bot without scopes at all (schema)', () => {
    const m = goodManifest();
    delete (bot(m) as Record<string, unknown>).scopes;
    assertProblem(validateAgainstSchema(m, schema), '$.bots[0].scopes', /is required/);
  });

  it('an over-long command title', () => {
    const m = goodManifest();
    bot(m).commandLists[0]!.commands[2]!.title = 'show me every decision I have ever made';
    const problems = validatePackage({ manifest: m, files: icons, schema });
    assertProblem(
      problems,
      '$.bots[0].commandLists[0].commands[2].title',
      new RegExp(`at most ${LIMITS.commandTitle}`),
    );
  });

  it('too many commands, an over-long command description and over-long names', () => {
    const m = goodManifest();
    const list = bot(m).commandLists[0]!;
    while (list.commands.length < 11)
      list.commands.push({ title: `extra ${list.commands.length}`, description: 'More.' });
    list.commands[0]!.description = 'x'.repeat(129);
    (m.name as Record<string, string>).short = 'Can I share? The information-sharing helper';
    (m.description as Record<string, string>).short = 'y'.repeat(81);
    const problems = validateTeamsRules(m);
    assertProblem(problems, '$.bots[0].commandLists[0].commands', /11 commands; Teams shows at most 10/);
    assertProblem(problems, '$.bots[0].commandLists[0].commands[0].description', /at most 128/);
    assertProblem(problems, '$.name.short', /at most 30/);
    assertProblem(problems, '$.description.short', /at most 80/);
  });

  it('validDomains with a scheme or a port', () => {
    const m = goodManifest();
    m.validDomains = ['https://bot.example.com', 'bot.example.com:8443'];
    const problems = validatePackage({ manifest: m, files: icons, schema, botDomain: TEST_ENV.BOT_DOMAIN });
    assertProblem(problems, '$.validDomains[0]', /without a scheme/);
    assertProblem(problems, '$.validDomains[1]', /port/);
    assertProblem(problems, '$.validDomains', /must include the bot's host/);
  });

  it('a property the schema does not allow, and a wrong manifestVersion', () => {
    const m = goodManifest();
    m.botName = 'x';
    m.manifestVersion = '1.99';
    const problems = validatePackage({ manifest: m, files: icons, schema });
    assertProblem(problems, '$.botName', /not a property the schema allows/);
    assertProblem(problems, '$.manifestVersion', /must be "1.28"/);
  });

  it('values only the official schema checks: accentColor and an unknown permission', () => {
    const m = goodManifest();
    m.accentColor = 'blue';
    m.permissions = ['identity', 'everything'];
    const problems = validatePackage({ manifest: m, files: icons, schema });
    assertProblem(
      problems,
      '$.accentColor',
      /must match \^#\[0-9a-fA-F\]\{6\}\$ \(schema: #\/definitions\/hexColor\/pattern\)/,
    );
    assertProblem(problems, '$.permissions[1]', /must be one of \["identity","messageTeamMembers"\]/);
  });

  it('gives the same verdicts as the Agents Toolkit validator (draft-04) on the same official schema', async () => {
    const bad = goodManifest();
    bad.id = 'nope';
    bad.accentColor = 'blue';
    bad.botName = 'x';
    delete (bot(bad) as Record<string, unknown>).scopes;
    assert.deepEqual(await ManifestUtil.validateManifestAgainstSchema(goodManifest() as never, schema as never), []);
    const theirs = await ManifestUtil.validateManifestAgainstSchema(bad as never, schema as never);
    const ours = validateAgainstSchema(bad, schema);
    assert.equal(ours.length, 4, formatProblems(ours));
    assert.equal(theirs.length, ours.length, theirs.join('\n'));
  });

  it('a colour icon of the wrong size', () => {
    const problems = validatePackage({
      manifest: goodManifest(),
      files: { ...icons, 'color.png': solidPng(96, [31, 95, 139, 255]) },
      schema,
    });
    assertProblem(problems, 'manifest/color.png', /is 96×96; the color icon must be exactly 192×192/);
  });

  it('an outline icon of the wrong size', () => {
    assertProblem(
      validateIcon('outline', solidPng(64, [255, 255, 255, 255]), 'outline.png'),
      'outline.png',
      /must be exactly 32×32/,
    );
  });

  it('an outline icon with colour', () => {
    const png = PNG.sync.read(icons['outline.png']);
    const i = (16 * 32 + 16) * 4;
    png.data.set([200, 30, 30, 255], i);
    const problems = validatePackage({
      manifest: goodManifest(),
      files: { ...icons, 'outline.png': PNG.sync.write(png) },
      schema,
    });
    assertProblem(
      problems,
      'manifest/outline.png',
      /white on transparent only: 1 pixel\(s\) have colour, first at \(16,16\)/,
    );
  });

  it('a missing icon file and a file that is not a PNG', () => {
    assertProblem(
      validatePackage({ manifest: goodManifest(), files: { 'color.png': icons['color.png'] }, schema }),
      'manifest/outline.png',
      /is missing/,
    );
    assertProblem(validateIcon('color', Buffer.from('not a png'), 'color.png'), 'color.png', /not a readable PNG/);
  });

  it('leftover placeholders', () => {
    const m = goodManifest();
    (m.developer as Record<string, string>).name = '${{DEVELOPER_NAME}}';
    assertProblem(validateTeamsRules(m), '$', /unsubstituted placeholders: \$\{\{DEVELOPER_NAME\}\}/);
  });
});

describe('icons', () => {
  it('the committed icons are what make-icons draws', () => {
    assert.ok(
      drawColorIcon().equals(icons['color.png']),
      'manifest/color.png is stale: run npx tsx scripts/lib/make-icons.ts',
    );
    assert.ok(
      drawOutlineIcon().equals(icons['outline.png']),
      'manifest/outline.png is stale: run npx tsx scripts/lib/make-icons.ts',
    );
  });

  it('the colour icon is full-bleed (opaque to every edge)', () => {
    const png = PNG.sync.read(icons['color.png']);
    for (let i = 3; i < png.data.length; i += 4) assert.equal(png.data[i], 255);
  });
});

describe('schema loading', () => {
  it("loads Microsoft's official v1.28 schema from @microsoft/app-manifest", () => {
    const pkgDir = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
    assert.equal(
      loaded.file,
      path.join(pkgDir, 'build', 'json-schemas', 'teams', 'v1.28', 'MicrosoftTeams.schema.json'),
    );
    assert.equal(loaded.version, MANIFEST_VERSION);
    assert.equal((schema.properties as Record<string, { const?: unknown }>).manifestVersion?.const, MANIFEST_VERSION);
    // It is the official file (draft-04 header, Microsoft's definitions), not a hand-written one.
    assert.match(String(schema.$schema), /draft-04/);
    assert.ok((schema.definitions as Record<string, unknown>).guid, 'official schema defines #/definitions/guid');
    assert.ok(
      (schema.properties as Record<string, unknown>).composeExtensions,
      'official schema describes every root property',
    );
  });

  it('names the missing version and the versions the package has', () => {
    assert.throws(
      () => loadManifestSchema('9.99'),
      (err: Error) => {
        assert.match(err.message, /no Teams manifest schema for v9\.99/);
        assert.match(err.message, /v1\.28/);
        return true;
      },
    );
  });

  it('reads the version from a $schema URL', () => {
    assert.equal(
      schemaUrlVersion('https://developer.microsoft.com/json-schemas/teams/v1.28/MicrosoftTeams.schema.json'),
      '1.28',
    );
    assert.equal(schemaUrlVersion('https://example.com/schema.json'), undefined);
    assert.equal(schemaUrlVersion(undefined), undefined);
  });

  it('turns JSON pointers into readable paths', () => {
    assert.equal(jsonPointerToPath(''), '$');
    assert.equal(
      jsonPointerToPath('/bots/0/commandLists/2/commands/1/title'),
      '$.bots[0].commandLists[2].commands[1].title',
    );
    assert.equal(jsonPointerToPath('/$schema'), '$.$schema');
  });
});

describe('app package zip', () => {
  it('contains exactly manifest.json and the two icons, with no leftover ${{', async () => {
    const manifest = goodManifest();
    const zip = await JSZip.loadAsync(await buildZip(manifest, icons));
    const names = Object.keys(zip.files).sort();
    assert.deepEqual(names, ['color.png', 'manifest.json', 'outline.png']);
    const text = await zip.file('manifest.json')!.async('string');
    assert.ok(!text.includes('${{'), 'leftover ${{ in manifest.json');
    assert.deepEqual(JSON.parse(text), manifest);
    assert.ok((await zip.file('color.png')!.async('nodebuffer')).equals(icons['color.png']));
    assert.ok((await zip.file('outline.png')!.async('nodebuffer')).equals(icons['outline.png']));
  });

  it('is reproducible for the same inputs', async () => {
    const m = goodManifest();
    assert.ok((await buildZip(m, icons)).equals(await buildZip(m, icons)));
  });
});
