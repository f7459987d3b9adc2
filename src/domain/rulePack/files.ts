/**
 * How a rule pack is laid out as files: one folder per pack (rulepacks/<id>/), one JSON file per
 * part, each an object holding that part under its own key (so an error names the file and the
 * entry, e.g. `rules.json: rules[12]`), plus a `$schema` reference for editors. Pure: reading the
 * folder is loadFromFolder.ts's job; the JSON Schemas are generated from these zod schemas.
 */
import { z } from 'zod';
import { MetadataSchema, RulePackSchema, type RulePackInput } from './schema';

const SchemaRef = z.string().optional().describe('The JSON Schema of this file, for editors');
const pack = RulePackSchema.shape;

/** The parts of a pack, by file. `metadata.json` and `legal-notes.json` together make `metadata`. */
export const PACK_FILES = {
  'metadata.json': z.strictObject({ $schema: SchemaRef, ...MetadataSchema.omit({ legalNotes: true }).shape }),
  'legal-notes.json': z.strictObject({ $schema: SchemaRef, legalNotes: MetadataSchema.shape.legalNotes }),
  'texts.json': z.strictObject({
    $schema: SchemaRef,
    safetyLines: pack.safetyLines,
    followUpTexts: pack.followUpTexts,
    urgentShare: pack.urgentShare,
  }),
  'questions.json': z.strictObject({ $schema: SchemaRef, questions: pack.questions }),
  'rules.json': z.strictObject({ $schema: SchemaRef, rules: pack.rules }),
  'practice-steps.json': z.strictObject({ $schema: SchemaRef, practiceSteps: pack.practiceSteps }),
  'cross-cutting.json': z.strictObject({ $schema: SchemaRef, crossCutting: pack.crossCutting }),
  'record-requirements.json': z.strictObject({ $schema: SchemaRef, recordRequirements: pack.recordRequirements }),
  'follow-ups.json': z.strictObject({ $schema: SchemaRef, followUps: pack.followUps }),
  'practice-reminders.json': z.strictObject({ $schema: SchemaRef, practiceReminders: pack.practiceReminders }),
  'derive.json': z.strictObject({ $schema: SchemaRef, derive: pack.derive }),
} as const;

export type PackFileName = keyof typeof PACK_FILES;
export const PACK_FILE_NAMES = Object.keys(PACK_FILES) as PackFileName[];

/** A file's JSON Schema, as referenced from its `$schema`: rulepacks/schema/<file stem>.schema.json. */
export const schemaFileFor = (file: PackFileName): string => `${file.slice(0, -'.json'.length)}.schema.json`;

/** Which file holds each top-level part of the pack (metadata.legalNotes is in legal-notes.json). */
export const FILE_OF_PART: Record<string, PackFileName> = {
  metadata: 'metadata.json',
  legalNotes: 'legal-notes.json',
  safetyLines: 'texts.json',
  followUpTexts: 'texts.json',
  urgentShare: 'texts.json',
  questions: 'questions.json',
  rules: 'rules.json',
  practiceSteps: 'practice-steps.json',
  crossCutting: 'cross-cutting.json',
  recordRequirements: 'record-requirements.json',
  followUps: 'follow-ups.json',
  practiceReminders: 'practice-reminders.json',
  derive: 'derive.json',
};

type FileContents = { [F in PackFileName]: z.output<(typeof PACK_FILES)[F]> };

/** Joins the validated files' contents back into one pack input (each file's `$schema` dropped). */
export function joinPack(files: FileContents): RulePackInput {
  const strip = <T extends { $schema?: string | undefined }>(o: T): Omit<T, '$schema'> => {
    const { $schema: _schema, ...rest } = o;
    return rest;
  };
  return {
    metadata: { ...strip(files['metadata.json']), legalNotes: files['legal-notes.json'].legalNotes },
    safetyLines: files['texts.json'].safetyLines,
    followUpTexts: files['texts.json'].followUpTexts,
    urgentShare: files['texts.json'].urgentShare,
    questions: files['questions.json'].questions,
    rules: files['rules.json'].rules,
    practiceSteps: files['practice-steps.json'].practiceSteps,
    crossCutting: files['cross-cutting.json'].crossCutting,
    recordRequirements: files['record-requirements.json'].recordRequirements,
    followUps: files['follow-ups.json'].followUps,
    practiceReminders: files['practice-reminders.json'].practiceReminders,
    derive: files['derive.json'].derive,
  };
}
