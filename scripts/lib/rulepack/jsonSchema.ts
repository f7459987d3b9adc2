/**
 * The JSON Schemas published in rulepacks/schema/, one per pack file, generated from the zod
 * schemas the loader uses (so an editor checks exactly what the loader checks, short of the
 * cross-checks). A test keeps the committed files equal to these.
 */
import path from 'node:path';
import { z } from 'zod';
import { PACK_FILE_NAMES, PACK_FILES, schemaFileFor, type PackFileName } from '../../../src/domain/rulePack/files';
import { RULEPACKS_DIR } from '../../../src/domain/rulePack/loadFromFolder';

export const SCHEMA_DIR = path.join(RULEPACKS_DIR, 'schema');

export function jsonSchemaFor(file: PackFileName): Record<string, unknown> {
  // 'input': what a person writes (fields with defaults, like a question's phase, are optional).
  const schema = z.toJSONSchema(PACK_FILES[file], { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...schema, title: `Rule pack: ${file}` };
}

/** Every published schema, by its file name in rulepacks/schema/, as the text committed there. */
export function jsonSchemaFiles(): Map<string, string> {
  return new Map(
    PACK_FILE_NAMES.map((file) => [schemaFileFor(file), `${JSON.stringify(jsonSchemaFor(file), null, 2)}\n`]),
  );
}
