/**
 * The JSON Schemas in rulepacks/schema/ are the ones generated from the loader's zod schemas (so
 * they cannot drift), every pack file references its schema and validates against it, and the
 * schema catches what an editor should flag.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { RULEPACKS_DIR } from '../../../src/domain';
import { PACK_FILE_NAMES, schemaFileFor } from '../../../src/domain/rulePack/files';
import { jsonSchemaFiles, SCHEMA_DIR } from '../../../scripts/lib/rulepack/jsonSchema';

const packDirs = readdirSync(RULEPACKS_DIR).filter(
  (d) => d !== 'schema' && existsSync(path.join(RULEPACKS_DIR, d, 'metadata.json')),
);
const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

function validatorFor(file: (typeof PACK_FILE_NAMES)[number]) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(readJson(path.join(SCHEMA_DIR, schemaFileFor(file))));
}

describe('rule pack JSON Schemas', () => {
  it('the committed schemas are exactly the ones generated from the zod schemas', () => {
    const generated = jsonSchemaFiles();
    assert.deepEqual(readdirSync(SCHEMA_DIR).sort(), [...generated.keys()].sort());
    for (const [name, text] of generated) {
      assert.equal(
        readFileSync(path.join(SCHEMA_DIR, name), 'utf8'),
        text,
        `rulepacks/schema/${name} is stale: run npm run rulepack -- schema`,
      );
    }
  });

  it('every file of every pack names its schema in $schema and validates against it', () => {
    assert.ok(packDirs.includes('2015-local'), packDirs.join(','));
    for (const pack of packDirs) {
      for (const file of PACK_FILE_NAMES) {
        const content = readJson(path.join(RULEPACKS_DIR, pack, file));
        assert.equal(content.$schema, `../schema/${schemaFileFor(file)}`, `${pack}/${file}`);
        const validate = validatorFor(file);
        assert.ok(validate(content), `${pack}/${file}: ${JSON.stringify(validate.errors)}`);
      }
    }
  });

  it('flags what an editor should: an unknown decision, a misspelt field, a malformed condition', () => {
    const validate = validatorFor('rules.json');
    const rules = readJson(path.join(RULEPACKS_DIR, '2015-local', 'rules.json'));
    const broken = (edit: (rule: Record<string, unknown>) => void) => {
      const copy = structuredClone(rules) as { rules: Record<string, unknown>[] };
      edit(copy.rules[0] as Record<string, unknown>);
      return copy;
    };
    assert.equal(validate(broken((r) => (r.decision = 'share_anyway'))), false);
    assert.equal(validate(broken((r) => (r.reasonz = []))), false);
    assert.equal(validate(broken((r) => (r.when = { q: 'consent' }))), false);
    assert.equal(validate(broken((r) => (r.when = { all: [{ not: { q: 'consent', in: [] } }] }))), false);
    assert.equal(validate(broken(() => undefined)), true);
  });
});
