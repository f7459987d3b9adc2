/**
 * Adaptive Card templates live as JSON in /cards and are expanded with adaptivecards-templating.
 * No card JSON is built by string concatenation: views supply data, templates supply layout.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { projectRoot } from '../../projectRoot';

export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

export const CARDS_DIR = path.join(projectRoot, 'cards');

const cache = new Map<string, ACData.Template>();

function templateFor(name: string): ACData.Template {
  let template = cache.get(name);
  if (!template) {
    const json: unknown = JSON.parse(readFileSync(path.join(CARDS_DIR, `${name}.json`), 'utf8'));
    template = new ACData.Template(json);
    cache.set(name, template);
  }
  return template;
}

/** Names of every template in /cards (for tests that validate them all). */
export function templateNames(): string[] {
  return readdirSync(CARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** An unresolved `${…}` is left in place by the templating library; treat it as a bug, not as text. */
export class UnresolvedTemplateError extends Error {}

export function renderCard(name: string, data: object): AdaptiveCard {
  const card = templateFor(name).expand({ $root: data }) as AdaptiveCard;
  const leftover = JSON.stringify(card).match(/\$\{[^}]*\}/);
  if (leftover) throw new UnresolvedTemplateError(`card "${name}" has an unresolved expression ${leftover[0]}`);
  delete card.$schema;
  return card;
}
