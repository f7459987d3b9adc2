// Flat config: typescript-eslint's recommended rules over everything we write.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const RESTIFY_ONLY_IN_HTTP = { group: ['restify', 'restify-*'], message: 'restify is imported only in src/http.' };

// Every folder under src/bot/features is a feature; what several features use lives in src/bot/kit.
const FEATURES = readdirSync(join(import.meta.dirname, 'src/bot/features'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** In feature `name`, importing any other feature (relatively or through a longer path) is an error. */
function featureBoundary(name) {
  const others = FEATURES.filter((other) => other !== name);
  return {
    files: [`src/bot/features/${name}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            RESTIFY_ONLY_IN_HTTP,
            {
              group: others.flatMap((other) => [
                `../${other}`,
                `../${other}/**`,
                `**/features/${other}`,
                `**/features/${other}/**`,
              ]),
              message: `Features do not import each other: move what ${name} shares with another feature into src/bot/kit, or inject it from the composition root.`,
            },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', 'test-artifacts/', 'build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Layers: botbuilder (archived end of 2025; its successor is the Microsoft 365 Agents SDK) stays in
    // the transport, the bot and the proactive sender, so replacing it touches only those
    // (docs/agents-sdk-migration.md); restify stays in the transport.
    files: ['src/**'],
    ignores: ['src/http/**', 'src/bot/**', 'src/reminders/botSender.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['botbuilder', 'botbuilder-*', 'botframework-*'],
              message:
                'botbuilder is imported only in src/http, src/bot and src/reminders/botSender.ts (see docs/agents-sdk-migration.md).',
            },
            RESTIFY_ONLY_IN_HTTP,
          ],
        },
      ],
    },
  },
  {
    files: ['src/bot/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [RESTIFY_ONLY_IN_HTTP] }],
    },
  },
  ...FEATURES.map(featureBoundary),
  {
    // The transport is handed what it needs by the composition root (src/app.ts), e.g. the export service.
    files: ['src/http/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/bot/features', '**/bot/features/**'],
              message: 'src/http imports no feature: take a service from src/app.ts instead.',
            },
          ],
        },
      ],
    },
  },
  {
    // Layers: the Azure Table SDK stays in storage, so the bot, the schedulers and the composition
    // root depend on the store interfaces (src/storage/contract.ts), never on Table plumbing. The
    // typescript-eslint rule (not the core one the blocks above use) so this block composes with
    // them instead of replacing their patterns, and type-only imports are caught too.
    files: ['src/**'],
    ignores: ['src/storage/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@azure/data-tables', '@azure/data-tables/*'],
              message: '@azure/data-tables is imported only in src/storage.',
            },
          ],
        },
      ],
    },
  },
  {
    // Lines under 120 characters (Prettier wraps code at 120). A user-facing string or template is
    // kept whole, so the text a practitioner sees can be found with one search; comments are not.
    rules: {
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true },
      ],
    },
  },
  {
    // Scripts, benchmarks and tests talk to a person at a terminal.
    files: ['scripts/**', 'bench/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
