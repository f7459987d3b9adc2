/**
 * Production refuses to start unauthenticated: without app credentials loadConfig throws naming
 * MICROSOFT_APP_ID, and the real entry point (`node --import tsx src/index.ts`) exits non-zero
 * with that message before it listens. Also the BOT_OPENID_METADATA_URL rules.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config';
import { azuriteConnectionString } from '../../support/azurite';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const APP_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const SECRET_VALUE = 'do-not-echo-this-client-secret-value';

/** A production environment that is complete except for what a test removes. */
const PRODUCTION: Record<string, string> = {
  NODE_ENV: 'production',
  MICROSOFT_APP_ID: APP_ID,
  MICROSOFT_APP_PASSWORD: SECRET_VALUE,
  MICROSOFT_APP_TYPE: 'MultiTenant',
  ALLOWED_TENANT_IDS: '11111111-1111-4111-8111-111111111111',
  SIGNING_SECRET: 'x'.repeat(40),
  AZURE_STORAGE_CONNECTION_STRING:
    'DefaultEndpointsProtocol=https;AccountName=stexample;AccountKey=a2V5;EndpointSuffix=core.windows.net',
};

function without(env: Record<string, string>, ...names: string[]): Record<string, string> {
  const copy = { ...env };
  for (const n of names) delete copy[n];
  return copy;
}

function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.problems;
  }
  return [];
}

/** Runs the real entry point with exactly `env` (plus PATH/HOME), and collects its exit. */
function runEntryPoint(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `src/index.ts did not exit within ${timeoutMs} ms (it should refuse to start). stdout: ${stdout} stderr: ${stderr}`,
        ),
      );
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('security: production configuration', () => {
  it('the complete production environment is accepted (control)', () => {
    assert.deepEqual(configProblems(PRODUCTION), []);
  });

  it('NODE_ENV=production without any app credentials: loadConfig throws naming MICROSOFT_APP_ID', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production' }),
      (err: Error) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /MICROSOFT_APP_ID is required when NODE_ENV=production/);
        return true;
      },
    );
  });

  it('NODE_ENV=production with everything but the app id: exactly that problem', () => {
    assert.deepEqual(configProblems(without(PRODUCTION, 'MICROSOFT_APP_ID')), [
      'MICROSOFT_APP_ID is required when NODE_ENV=production',
    ]);
    assert.deepEqual(configProblems({ ...PRODUCTION, MICROSOFT_APP_ID: '' }), [
      'MICROSOFT_APP_ID is required when NODE_ENV=production',
    ]);
  });

  it('a problem message never echoes a secret value', () => {
    const problems = configProblems({
      ...PRODUCTION,
      MICROSOFT_APP_ID: 'not-a-guid',
      SIGNING_SECRET: 'tiny-secret-q7',
    });
    assert.ok(problems.some((p) => p.startsWith('MICROSOFT_APP_ID')));
    assert.ok(problems.some((p) => p.startsWith('SIGNING_SECRET')));
    assert.ok(!problems.join('\n').includes(SECRET_VALUE));
    assert.ok(!problems.join('\n').includes('tiny-secret-q7'));
  });

  it('the process (node --import tsx src/index.ts) exits non-zero naming MICROSOFT_APP_ID, without listening', async () => {
    const run = await runEntryPoint({ NODE_ENV: 'production' });
    assert.notEqual(run.code, 0, `exit code ${run.code}`);
    assert.equal(run.code, 78, 'EX_CONFIG');
    assert.match(run.stderr, /MICROSOFT_APP_ID is required when NODE_ENV=production/);
    assert.doesNotMatch(run.stdout, /server\.listening/);
  });

  it('the process with only the app id missing exits 78 naming it, and does not echo the client secret', async () => {
    const run = await runEntryPoint(without(PRODUCTION, 'MICROSOFT_APP_ID'));
    assert.equal(run.code, 78, `exit code ${run.code}; stderr: ${run.stderr}`);
    assert.match(run.stderr, /MICROSOFT_APP_ID is required when NODE_ENV=production/);
    assert.ok(!(run.stderr + run.stdout).includes(SECRET_VALUE));
    assert.doesNotMatch(run.stdout, /server\.listening/);
  });

  describe('BOT_OPENID_METADATA_URL', () => {
    it('is optional, and unset means the public cloud default', () => {
      assert.equal(loadConfig(PRODUCTION).BOT_OPENID_METADATA_URL, undefined);
      assert.equal(loadConfig({ ...PRODUCTION, BOT_OPENID_METADATA_URL: '' }).BOT_OPENID_METADATA_URL, undefined);
    });

    it('accepts an https:// URL in production', () => {
      const url = 'https://login.botframework.example/v1/.well-known/openidconfiguration';
      assert.equal(loadConfig({ ...PRODUCTION, BOT_OPENID_METADATA_URL: url }).BOT_OPENID_METADATA_URL, url);
    });

    it('refuses an http:// URL in production, naming the variable', () => {
      assert.deepEqual(
        configProblems({
          ...PRODUCTION,
          BOT_OPENID_METADATA_URL: 'http://127.0.0.1:8080/.well-known/openid-configuration',
        }),
        ['BOT_OPENID_METADATA_URL must be an https:// URL when NODE_ENV=production'],
      );
    });

    it('allows http:// outside production (local stand-in for tests)', () => {
      const url = 'http://127.0.0.1:8080/.well-known/openid-configuration';
      assert.equal(loadConfig({ NODE_ENV: 'test', BOT_OPENID_METADATA_URL: url }).BOT_OPENID_METADATA_URL, url);
    });

    it('refuses something that is not an http(s) URL anywhere', () => {
      for (const bad of [
        'login.botframework.com/v1/.well-known/openidconfiguration',
        'ftp://example.com/keys',
        'file:///etc/keys.json',
      ]) {
        assert.deepEqual(
          configProblems({ NODE_ENV: 'test', BOT_OPENID_METADATA_URL: bad }),
          ['BOT_OPENID_METADATA_URL must be an http(s) URL'],
          bad,
        );
      }
    });
  });

  describe('the storage emulator and the development signing secret (issue 12, item 10)', () => {
    /** Azurite's published key, written out here rather than imported: this is the value to refuse. */
    const WELL_KNOWN_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
    /** The default signing secret in src/config.ts, as written in the repository. */
    const REPOSITORY_SECRET = 'local-development-signing-secret-not-for-production-use';
    const storage = (value: string) => configProblems({ ...PRODUCTION, AZURE_STORAGE_CONNECTION_STRING: value });
    const onlyStorageProblem = (problems: string[], pattern: RegExp) => {
      assert.equal(problems.length, 1, problems.join('; '));
      assert.match(problems[0]!, /^AZURE_STORAGE_CONNECTION_STRING /);
      assert.match(problems[0]!, pattern);
      assert.ok(!problems[0]!.includes(WELL_KNOWN_KEY), 'the key is never echoed');
    };

    it('refuses the emulator connection string the test harness uses (devstoreaccount1, its key, http://)', () => {
      onlyStorageProblem(storage(azuriteConnectionString(10002)), /real storage account.*devstoreaccount1/);
    });

    it('refuses each part on its own: the account name, the well-known key, http endpoints, UseDevelopmentStorage', () => {
      onlyStorageProblem(
        storage(
          'DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=a2V5;EndpointSuffix=core.windows.net',
        ),
        /devstoreaccount1/,
      );
      onlyStorageProblem(
        storage(
          `DefaultEndpointsProtocol=https;AccountName=stexample;AccountKey=${WELL_KNOWN_KEY};EndpointSuffix=core.windows.net`,
        ),
        /well-known account key/,
      );
      onlyStorageProblem(
        storage('DefaultEndpointsProtocol=http;AccountName=stexample;AccountKey=a2V5;EndpointSuffix=core.windows.net'),
        /https/,
      );
      onlyStorageProblem(
        storage('AccountName=stexample;AccountKey=a2V5;TableEndpoint=http://stexample.table.core.windows.net/'),
        /https:\/\/ endpoints/,
      );
      onlyStorageProblem(
        storage('TableEndpoint=HTTP://10.0.0.5:10002/stexample;SharedAccessSignature=sv=2024&sig=x'),
        /https:\/\/ endpoints/,
      );
      onlyStorageProblem(storage('UseDevelopmentStorage=true'), /UseDevelopmentStorage/);
      assert.ok(
        storage('usedevelopmentstorage=TRUE').some((p) =>
          /^AZURE_STORAGE_CONNECTION_STRING .*UseDevelopmentStorage/.test(p),
        ),
        'in any case',
      );
    });

    it('accepts a real account over https, and the emulator outside production (controls)', () => {
      assert.deepEqual(
        storage('DefaultEndpointsProtocol=https;AccountName=stexample;AccountKey=a2V5;EndpointSuffix=core.windows.net'),
        [],
      );
      assert.deepEqual(
        storage('TableEndpoint=https://stexample.table.core.windows.net/;SharedAccessSignature=sv=2024&sig=x'),
        [],
      );
      assert.deepEqual(
        configProblems({ NODE_ENV: 'test', AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(10002) }),
        [],
      );
      assert.deepEqual(configProblems({ NODE_ENV: 'development' }), []);
    });

    it('refuses the development signing secret from the repository, naming SIGNING_SECRET', () => {
      assert.deepEqual(configProblems({ ...PRODUCTION, SIGNING_SECRET: REPOSITORY_SECRET }), [
        'SIGNING_SECRET must not be the development secret from the repository when NODE_ENV=production',
      ]);
      assert.equal(
        loadConfig({ NODE_ENV: 'test', SIGNING_SECRET: REPOSITORY_SECRET }).SIGNING_SECRET,
        REPOSITORY_SECRET,
        'allowed outside production',
      );
    });

    it('the process exits 78 naming both variables, echoing neither value, without listening', async () => {
      const run = await runEntryPoint({
        ...PRODUCTION,
        AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(10002),
        SIGNING_SECRET: REPOSITORY_SECRET,
      });
      assert.equal(run.code, 78, `exit code ${run.code}; stderr: ${run.stderr}`);
      assert.match(run.stderr, /AZURE_STORAGE_CONNECTION_STRING must name a real storage account/);
      assert.match(run.stderr, /SIGNING_SECRET must not be the development secret/);
      assert.ok(!(run.stderr + run.stdout).includes(WELL_KNOWN_KEY));
      assert.ok(!(run.stderr + run.stdout).includes(REPOSITORY_SECRET));
      assert.doesNotMatch(run.stdout, /server\.listening/);
    });
  });
});
