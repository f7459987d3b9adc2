/**
 * `npm run rulepack -- preview <dir>`: one HTML page showing every question card and one outcome
 * card per rule, exactly as the bot builds them (the project's templates in cards/, expanded by the
 * bot's own views), rendered in the browser by the Adaptive Cards JS renderer (the one Teams' web
 * client uses) with a Teams-like light theme. For a safeguarding lead to review a pack before it is
 * used; each card says how it was reached (the answers that lead to it).
 *
 * A script, not the domain: it may import the bot's view code.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { completePaths, evaluate, type Answers, type RulePack } from '../../../src/domain';
import { describeAnswers } from '../../../src/domain/engine';
import { matchingRule } from '../../../src/domain/outcome';
import type { AdaptiveCard } from '../../../src/bot/cards/templates';
import { cardFor } from '../../../src/bot/features/questionnaire/views';
import type { QuestionnaireState } from '../../../src/bot/features/questionnaire/state';

export interface PreviewCard {
  kind: 'question' | 'outcome';
  /** The question or rule id. */
  id: string;
  heading: string;
  /** The answers that lead to this card, as the practitioner saw them. */
  reachedBy: { question: string; label: string }[];
  card: AdaptiveCard;
}

/**
 * For each question, the first answers (in path order) that reach it; for each rule, the first complete path it
 * decides.
 */
function representativePaths(pack: RulePack): { questions: Map<string, Answers>; rules: Map<string, Answers> } {
  const questions = new Map<string, Answers>();
  const rules = new Map<string, Answers>();
  for (const answers of completePaths(pack)) {
    if (questions.size < pack.questions.length) {
      const prefix: Record<string, string> = {};
      for (const [q, code] of Object.entries(answers)) {
        if (!questions.has(q)) questions.set(q, { ...prefix });
        prefix[q] = code;
      }
    }
    const rule = matchingRule(pack, answers);
    if (!rules.has(rule.id)) rules.set(rule.id, { ...answers });
    if (rules.size === pack.rules.length && questions.size === pack.questions.length) break;
  }
  return { questions, rules };
}

/** Every question card (pack order) and one outcome card per rule (pack order). */
export function previewCards(pack: RulePack): PreviewCard[] {
  const paths = representativePaths(pack);
  const state = (a: Answers): QuestionnaireState => ({
    v: pack.metadata.version,
    a: { ...a },
    o: 'preview',
    i: randomUUID(),
  });
  const reachedBy = (a: Answers) => describeAnswers(pack, a).map(({ question, label }) => ({ question, label }));
  const cards: PreviewCard[] = [];
  pack.questions.forEach((q, i) => {
    const answers = paths.questions.get(q.id);
    if (!answers) return;
    const result = evaluate(pack, answers);
    cards.push({
      kind: 'question',
      id: q.id,
      heading: `Question ${i + 1}: ${q.id}`,
      reachedBy: reachedBy(answers),
      card: cardFor(state(answers), result),
    });
  });
  pack.rules.forEach((r, i) => {
    const answers = paths.rules.get(r.id);
    if (!answers) return;
    const result = evaluate(pack, answers);
    cards.push({
      kind: 'outcome',
      id: r.id,
      heading: `Rule ${i + 1}: ${r.id} (${r.decision})`,
      reachedBy: reachedBy(answers),
      card: cardFor(state(answers), result),
    });
  });
  return cards;
}

/**
 * Teams' light theme, near enough for review, with every text colour at least 4.5:1 against the
 * background it is shown on (WCAG AA), which axe checks in the tests.
 */
const TEXT = {
  default: '#242424',
  subtle: '#5C5C5C',
  accent: '#4F52B2',
  good: '#0E6B0E',
  warning: '#7A5500',
  attention: '#B10E1C',
  dark: '#242424',
  light: '#FFFFFF',
};
const colors = Object.fromEntries(
  Object.entries(TEXT).map(([k, v]) => [k, { default: v, subtle: k === 'default' ? TEXT.subtle : v }]),
);
colors.default = { default: TEXT.default, subtle: TEXT.subtle };
const style = (backgroundColor: string) => ({ backgroundColor, foregroundColors: colors });
export const HOST_CONFIG = {
  fontFamily: "'Segoe UI', system-ui, -apple-system, sans-serif",
  supportsInteractivity: true,
  containerStyles: {
    default: style('#FFFFFF'),
    emphasis: style('#F5F5F5'),
    accent: style('#EFF0FA'),
    good: style('#F1FAF1'),
    attention: style('#FDF3F4'),
    warning: style('#FFF9F0'),
  },
  actions: { maxActions: 6, actionsOrientation: 'horizontal', buttonSpacing: 8 },
  // Card headings sit under the page's h3 for each card; without a level, role="heading" is incomplete.
  textBlock: { headingLevel: 4 },
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside <script>: no `</script>` or `<!--` can close it early. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const PAGE_SCRIPT = String.raw`
(function () {
  var AC = window.AdaptiveCards;
  var cards = JSON.parse(document.getElementById('cards').textContent);
  var hostConfig = new AC.HostConfig(JSON.parse(document.getElementById('host-config').textContent));
  // Teams renders a small Markdown subset in TextBlocks: bold, italic, links and lists.
  AC.AdaptiveCard.onProcessMarkdown = function (text, result) {
    var html = text.replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; })
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|\s)_([^_]+)_(?=\s|$)/g, '$1<em>$2</em>')
      .replace(/\[([^\]]+)\]\((https:[^)\s]+)\)/g, '<a href="$2">$1</a>')
      .replace(/\n/g, '<br>');
    result.outputHtml = html;
    result.didProcess = true;
  };
  var rendered = 0;
  cards.forEach(function (entry, i) {
    var host = document.querySelector('[data-card-index="' + i + '"]');
    var card = new AC.AdaptiveCard();
    card.hostConfig = hostConfig;
    // A preview: buttons do nothing.
    card.onExecuteAction = function () {};
    card.parse(entry);
    var element = card.render();
    if (element) {
      host.appendChild(element);
      host.setAttribute('data-rendered', 'true');
      rendered++;
    }
  });
  document.body.setAttribute('data-cards-rendered', String(rendered));
})();
`;

const CSS = `
body { font-family: 'Segoe UI', system-ui, -apple-system, sans-serif; color: #242424; background: #F5F5F5; margin: 0; }
header, main { max-width: 760px; margin: 0 auto; padding: 16px; }
header { border-bottom: 1px solid #D1D1D1; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.25rem; margin-top: 2rem; } h3 { font-size: 1rem; margin-bottom: 4px; }
.preview { margin: 24px 0; }
.reached { font-size: 0.875rem; color: #424242; margin: 4px 0 8px; }
.reached summary { cursor: pointer; }
.card { background: #FFFFFF; border: 1px solid #D1D1D1; border-radius: 6px; padding: 0; max-width: 560px; overflow: hidden; }
.card button { font: inherit; padding: 6px 12px; border-radius: 4px; border: 1px solid #616161; background: #FFFFFF; color: #242424; cursor: pointer; }
.card button.style-positive, .card button.primary { background: #4F52B2; border-color: #4F52B2; color: #FFFFFF; }
.card input, .card select, .card textarea { font: inherit; color: #242424; border: 1px solid #616161; }
a { color: #4F52B2; }
`;

function section(title: string, id: string, entries: { card: PreviewCard; index: number }[]): string {
  const items = entries
    .map(({ card, index }) => {
      const headingId = `card-${index}-heading`;
      const reached = card.reachedBy.length
        ? `<details class="reached"><summary>Reached by ${card.reachedBy.length} answer${card.reachedBy.length === 1 ? '' : 's'}</summary><ol>${card.reachedBy
            .map((r) => `<li>${escapeHtml(r.question)} <strong>${escapeHtml(r.label)}</strong></li>`)
            .join('')}</ol></details>`
        : '<p class="reached">The first question.</p>';
      return `<article class="preview" id="${escapeHtml(card.kind)}-${escapeHtml(card.id)}" aria-labelledby="${headingId}">
<h3 id="${headingId}">${escapeHtml(card.heading)}</h3>
${reached}
<div class="card" data-card-index="${index}"></div>
</article>`;
    })
    .join('\n');
  return `<section aria-labelledby="${id}"><h2 id="${id}">${escapeHtml(title)}</h2>\n${items}\n</section>`;
}

/** The whole page, self-contained (the renderer inlined): it opens from a file, offline. */
export function previewHtml(pack: RulePack, cards: PreviewCard[]): string {
  const m = pack.metadata;
  const indexed = cards.map((card, index) => ({ card, index }));
  const questions = indexed.filter((c) => c.card.kind === 'question');
  const outcomes = indexed.filter((c) => c.card.kind === 'outcome');
  const renderer = readFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8');
  const sources = m.sources
    .map(
      (s) => `<li>${escapeHtml(s.title)}${s.section ? `, ${escapeHtml(s.section)}` : ''} (${escapeHtml(s.date)})</li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rule pack preview: ${escapeHtml(m.id)} ${escapeHtml(m.version)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>Rule pack preview: ${escapeHtml(m.title)}</h1>
<p>Pack <strong>${escapeHtml(m.id)}</strong>, version <strong>${escapeHtml(m.version)}</strong>, status <strong>${escapeHtml(m.status)}</strong>.
${questions.length} question cards and ${outcomes.length} outcome cards (one per rule), as Teams shows them. Buttons do nothing here.</p>
<p>Written from:</p><ul>${sources}</ul>
</header>
<main>
${section(`Questions (${questions.length})`, 'questions', questions)}
${section(`Outcomes, one per rule (${outcomes.length})`, 'outcomes', outcomes)}
</main>
<script type="application/json" id="cards">${scriptJson(cards.map((c) => c.card))}</script>
<script type="application/json" id="host-config">${scriptJson(HOST_CONFIG)}</script>
<script>${renderer.replace(/<\/script/gi, '<\\/script')}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
