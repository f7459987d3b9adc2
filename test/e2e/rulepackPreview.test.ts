/**
 * `npm run rulepack -- preview`, for every pack installed under rulepacks/: the page renders every
 * question card and one outcome card per rule with the Adaptive Cards renderer in headless
 * Chromium, and axe-core finds no serious or critical accessibility violation (every input
 * labelled, headings marked, contrast sufficient). Screenshots of each pack's page go to
 * test-artifacts/e2e/.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { RULEPACKS_DIR, loadRulePackFromFolder, rulePacks } from '../../src/domain';
import { leaseBrowser, type BrowserLease } from '../support/browser';
import { ARTIFACTS_DIR } from '../support/playground';

const ROOT = path.join(__dirname, '../..');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Every pack folder under rulepacks/, found the way the bot's loader finds them (a folder with metadata.json). */
const PACK_FOLDERS = readdirSync(RULEPACKS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(path.join(RULEPACKS_DIR, e.name, 'metadata.json')))
  .map((e) => e.name)
  .sort();

describe('rulepack preview in Chromium', () => {
  let lease: BrowserLease;
  let context: BrowserContext;
  before(async () => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    lease = await leaseBrowser();
    context = await lease.browser.newContext({ viewport: { width: 1200, height: 900 } });
  });
  after(async () => {
    await context?.close();
    lease?.release();
  });

  it('previews every installed pack: both real packs, and every pack the bot offers a tenant', () => {
    assert.deepEqual(PACK_FOLDERS, [...rulePacks.keys()].sort());
    assert.ok(PACK_FOLDERS.includes('2015-local') && PACK_FOLDERS.includes('england-2024'), PACK_FOLDERS.join(', '));
  });

  for (const folder of PACK_FOLDERS) {
    describe(`the ${folder} pack`, () => {
      const packDir = path.join(RULEPACKS_DIR, folder);
      const pack = loadRulePackFromFolder(packDir);
      const dir = mkdtempSync(path.join(os.tmpdir(), `rulepack-preview-${folder}-`));
      const out = path.join(dir, 'preview.html');
      const expected = pack.questions.length + pack.rules.length;
      let page: Page;
      const pageErrors: string[] = [];

      before(async () => {
        const result = spawnSync(
          process.execPath,
          ['--import', 'tsx', 'scripts/rulepack.ts', 'preview', packDir, '--out', out],
          { cwd: ROOT, encoding: 'utf8' },
        );
        assert.equal(result.status, 0, result.stderr);
        assert.ok(
          result.stdout.includes(
            `wrote ${expected} cards (${pack.questions.length} questions, ${pack.rules.length} rules)`,
          ),
          result.stdout,
        );
        page = await context.newPage();
        page.on('pageerror', (err) => pageErrors.push(err.message));
        // The page is self-contained: refuse anything from the network.
        await page.route(/^https?:/, (route) => route.abort());
        await page.goto(pathToFileURL(out).href);
        await page.waitForSelector('body[data-cards-rendered]');
      });

      after(async () => {
        await page?.close();
        rmSync(dir, { recursive: true, force: true });
      });

      it('renders every question card and one outcome card per rule', async () => {
        assert.equal(await page.getAttribute('body', 'data-cards-rendered'), String(expected));
        assert.equal(await page.locator('[data-card-index][data-rendered="true"] .ac-adaptiveCard').count(), expected);
        assert.deepEqual(pageErrors, []);
        // The page names the pack a reviewer is reading.
        assert.ok(
          (await page.locator('body').innerText()).includes(pack.metadata.title),
          'the page shows the pack title',
        );
        // Spot-check what a reviewer reads: a question's text and options, a rule's title and its cited reasons.
        const first = pack.questions[0];
        assert.ok(first);
        const firstCard = page.locator(`#question-${first.id} .card`);
        assert.ok((await firstCard.innerText()).includes(first.text));
        for (const option of first.options)
          assert.ok((await firstCard.innerText()).includes(option.label), option.label);
        const rule = pack.rules[0];
        assert.ok(rule);
        const ruleCard = page.locator(`#outcome-${rule.id} .card`);
        assert.ok((await ruleCard.innerText()).includes(rule.title));
        assert.equal((await page.locator('#outcome-' + rule.id + ' details li').count()) > 0, true);
        await page.screenshot({ path: path.join(ARTIFACTS_DIR, `rulepack-preview-${folder}.png`) });
        await firstCard.screenshot({ path: path.join(ARTIFACTS_DIR, `rulepack-preview-${folder}-first-question.png`) });
        await ruleCard.screenshot({ path: path.join(ARTIFACTS_DIR, `rulepack-preview-${folder}-first-outcome.png`) });
      });

      it('axe-core: no serious or critical violations', async () => {
        await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
        // A string, so the test needs no DOM typings: the script runs in the page.
        const violations = (await page.evaluate(`(async () => {
          const result = await window.axe.run(document, { resultTypes: ['violations'] });
          return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target) }));
        })()`)) as AxeViolation[];
        const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        assert.deepEqual(serious, [], JSON.stringify(serious, null, 2));
        // Axe ran over the cards themselves: the inputs it checks for labels are there.
        assert.ok((await page.locator('.card input, .card select, .card textarea').count()) > 50);
      });
    });
  }
});
