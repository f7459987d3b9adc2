/**
 * The production path: `npm run build`, then `node dist/src/index.js` — no tsx, no test harness —
 * started on each supported Node line, checked for a healthy /healthz and one real turn, then
 * stopped with SIGTERM as App Service stops it.
 *
 * It runs on the Node running the tests, and also on every binary in SMOKE_NODE_BINARIES
 * (colon-separated paths; .ci/run sets it to a Node 22 from `scripts/node-lts.sh --bin 22`).
 * The server runs without Bot Framework credentials (NODE_ENV=development) against a real Azurite:
 * the production settings' own checks are covered in test/integration/security/productionConfig.test.ts.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findFreePort } from '../../../scripts/lib/processes';
import { startAzurite, type AzuriteHandle } from '../../support/azurite';

const root = path.resolve(__dirname, '../../..');
const entry = path.join(root, 'dist/src/index.js');
const TENANT = '11111111-1111-4111-8111-111111111111';

const binaries = [process.execPath, ...(process.env.SMOKE_NODE_BINARIES ?? '').split(':').filter(Boolean)];

function majorOf(node: string): number {
  return Number(execFileSync(node, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).trim());
}

async function waitForHealthy(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs = 20_000,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the built server exited (${child.exitCode}) before it was healthy:\n${output()}`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return Date.now() - started;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - started > timeoutMs) throw new Error(`no healthy ${url} within ${timeoutMs} ms:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the production build (node dist/src/index.js)', () => {
  let azurite: AzuriteHandle;

  before(async () => {
    // The real build, as App Service gets it (tsc -p tsconfig.build.json → dist/).
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: 'inherit',
    });
    azurite = await startAzurite();
  });
  after(async () => {
    await azurite?.stop();
  });

  test('the build produced the entry point App Service runs', () => {
    assert.ok(existsSync(entry), `${entry} is missing after the build`);
  });

  for (const node of binaries) {
    const major = majorOf(node);
    test(`starts, serves /healthz and a real turn, and stops cleanly on Node ${major} (${node})`, async (t) => {
      assert.ok(major >= 22, `Node ${major} at ${node} is below the supported LTS lines (22, 24)`);
      const port = await findFreePort();
      let output = '';
      const child = spawn(node, [entry], {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'development',
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'info',
          AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-20_000);
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      t.after(() => {
        if (child.exitCode === null) child.kill('SIGKILL');
      });

      const ms = await waitForHealthy(`http://127.0.0.1:${port}/healthz`, child, () => output);
      console.log(`Node ${major}: healthy ${ms} ms after spawn`);

      const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id: 'smoke-1',
          text: 'hello',
          deliveryMode: 'expectReplies',
          channelId: 'msteams',
          serviceUrl: 'http://127.0.0.1:9/',
          from: { id: '29:smoke', aadObjectId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', name: 'Smoke Test' },
          recipient: { id: '28:bot', name: 'Can I share?' },
          conversation: { id: 'a:smoke', conversationType: 'personal', tenantId: TENANT },
          channelData: { tenant: { id: TENANT } },
        }),
      });
      assert.equal(res.status, 200);
      const body = (await res.json()) as {
        activities?: Array<{ attachments?: Array<{ contentType: string; content: unknown }> }>;
      };
      const card = body.activities
        ?.flatMap((a) => a.attachments ?? [])
        .find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
      assert.ok(card, 'the welcome card came back in the reply');
      assert.match(JSON.stringify(card.content), /999/, 'the welcome card carries the immediate-danger line');

      child.kill('SIGTERM');
      assert.equal(await exited, 0, `the server did not stop cleanly on SIGTERM:\n${output}`);
      // Production logs are JSON lines (pino), and Node printed no deprecation warnings.
      const lines = output.split('\n').filter(Boolean);
      assert.ok(lines.length > 0);
      for (const line of lines)
        assert.doesNotThrow(() => JSON.parse(line), `not a JSON log line: ${line.slice(0, 200)}`);
      assert.doesNotMatch(output, /DeprecationWarning|DEP0\d{3}/);
    });
  }
});
