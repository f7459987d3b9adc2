/**
 * The preview's cards (npm run rulepack -- preview): every question card and one outcome card per
 * rule, built by the bot's own views, and each one accepted by the Adaptive Cards parser — for every
 * installed pack (the 2015 chapter and the national draft).
 * test/e2e/rulepackPreview.test.ts renders the page in Chromium and runs axe over it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, rulePacks } from '../../../src/domain';
import { cardFor } from '../../../src/bot/features/questionnaire/views';
import { previewCards, previewHtml } from '../../../scripts/lib/rulepack/preview';
import { cardProblems } from '../../support/cardValidation';

for (const rulePack of rulePacks.values()) {
  const cards = previewCards(rulePack);

  describe(`rulepack preview cards: ${rulePack.metadata.id}`, () => {
    it('the pack is one of those installed', () =>
      assert.ok(rulePacks.size >= 2 && rulePacks.get(rulePack.metadata.id)));

    it('one card per question and one per rule, in pack order', () => {
      assert.deepEqual(
        cards.filter((c) => c.kind === 'question').map((c) => c.id),
        rulePack.questions.map((q) => q.id),
      );
      assert.deepEqual(
        cards.filter((c) => c.kind === 'outcome').map((c) => c.id),
        rulePack.rules.map((r) => r.id),
      );
    });

    it('every card passes the Adaptive Cards parser and the project card checks', () => {
      for (const c of cards) assert.deepEqual(cardProblems(c.card), [], `${c.kind} ${c.id}`);
    });

    it('each card is the one the bot sends for the answers shown beside it', () => {
      for (const c of cards) {
        const answers = Object.fromEntries(
          c.reachedBy.map((r) => {
            const q = rulePack.questions.find((x) => x.text === r.question);
            const o = q?.options.find((x) => x.label === r.label);
            assert.ok(q && o, `${c.id}: ${r.question}`);
            return [q.id, o.code];
          }),
        );
        const result = evaluate(rulePack, answers);
        if (c.kind === 'question') assert.equal(result.kind === 'question' && result.question.id, c.id);
        else assert.equal(result.kind === 'outcome' && result.outcome.ruleId, c.id);
        // Same card, but for the per-card ids (questionnaire id, idempotency key) the bot mints afresh.
        const s = { v: rulePack.metadata.version, a: answers, o: 'preview', i: '00000000-0000-4000-8000-000000000000' };
        const strip = (card: unknown) =>
          JSON.stringify(card).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'ID');
        assert.equal(strip(c.card), strip(cardFor(s, result)), `${c.kind} ${c.id}`);
      }
    });

    it('the page holds every card, the pack identity, and no way for pack text to close its script', () => {
      const html = previewHtml(rulePack, cards);
      assert.match(html, /^<!doctype html>\n<html lang="en">/);
      assert.ok(html.includes(`version <strong>${rulePack.metadata.version}</strong>`));
      assert.equal((html.match(/<div class="card" data-card-index="/g) ?? []).length, cards.length);
      const withScript = previewHtml(rulePack, [
        { ...cards[0]!, heading: '</script><b>x', card: { ...cards[0]!.card, note: '</script>' } },
      ]);
      assert.ok(!withScript.includes('</script><b>'), 'heading escaped');
      assert.ok(withScript.includes('&#60;/script&#62;&#60;b&#62;x'));
      assert.ok(
        !withScript.includes('"note":"</script>"') && withScript.includes('"note":"\\u003c/script>"'),
        'card JSON cannot end its script',
      );
    });
  });
}
