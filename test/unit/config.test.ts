/** Configuration fails fast, naming each bad variable, including the scheduler settings. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  assert.fail('expected a configuration error');
}

describe('configuration', () => {
  it('defaults to a local development setup', () => {
    const config = loadConfig({});
    assert.equal(config.PORT, 3978);
    assert.equal(config.AZURE_STORAGE_CONNECTION_STRING, 'UseDevelopmentStorage=true');
    assert.deepEqual(config.ALLOWED_TENANT_IDS, []);
  });

  it('names every bad variable and never echoes a value', () => {
    const problems = problemsOf(() =>
      loadConfig({
        PORT: 'eighty',
        MICROSOFT_APP_ID: 'not-a-guid',
        MICROSOFT_APP_PASSWORD: 's3cret-value',
        ALLOWED_TENANT_IDS: 'x',
      }),
    );
    assert.ok(problems.some((p) => p.startsWith('PORT')));
    assert.ok(problems.some((p) => p.startsWith('MICROSOFT_APP_ID')));
    assert.ok(problems.some((p) => p.startsWith('ALLOWED_TENANT_IDS')));
    assert.ok(!problems.join(' ').includes('s3cret-value'));
  });

  it('splits comma-separated lists', () => {
    const config = loadConfig({ ALLOWED_TENANT_IDS: ' 11111111-1111-4111-8111-111111111111 , * ' });
    assert.deepEqual(config.ALLOWED_TENANT_IDS, ['11111111-1111-4111-8111-111111111111', '*']);
  });

  it('names bad reminder and retention settings', () => {
    assert.ok(
      problemsOf(() => loadConfig({ REMINDER_GLOBAL_PER_SECOND: '-1' })).some((p) =>
        p.startsWith('REMINDER_GLOBAL_PER_SECOND'),
      ),
    );
    assert.ok(
      problemsOf(() => loadConfig({ RETENTION_PURGE_CRON: 'not a cron' })).some((p) =>
        p.startsWith('RETENTION_PURGE_CRON'),
      ),
    );
    assert.ok(
      problemsOf(() => loadConfig({ RETENTION_PURGE_TIMEZONE: 'Mars/Olympus' })).some((p) =>
        p.startsWith('RETENTION_PURGE_TIMEZONE'),
      ),
    );
  });

  describe('MANAGER_AAD_OBJECT_IDS / ADMIN_AAD_OBJECT_IDS are bound to a tenant', () => {
    const T1 = '11111111-1111-4111-8111-111111111111';
    const T2 = '22222222-2222-4222-8222-222222222222';
    const M = 'AAAAAAAA-0000-4000-8000-000000000001';

    it('parse <tenantId>:<objectId> entries, lower-cased', () => {
      const config = loadConfig({
        MANAGER_AAD_OBJECT_IDS: ` ${T1}:${M} , ${T2}:${M.toLowerCase()}`,
        ADMIN_AAD_OBJECT_IDS: `${T2.toUpperCase()}:${M}`,
      });
      assert.deepEqual(config.MANAGER_AAD_OBJECT_IDS, [
        { tenantId: T1, aadObjectId: M.toLowerCase() },
        { tenantId: T2, aadObjectId: M.toLowerCase() },
      ]);
      assert.deepEqual(config.ADMIN_AAD_OBJECT_IDS, [{ tenantId: T2, aadObjectId: M.toLowerCase() }]);
      assert.deepEqual(loadConfig({}).MANAGER_AAD_OBJECT_IDS, []);
    });

    it('refuse a bare object id, naming the variable — even with a single allowed tenant', () => {
      for (const env of [{ MANAGER_AAD_OBJECT_IDS: M }, { ADMIN_AAD_OBJECT_IDS: M, ALLOWED_TENANT_IDS: T1 }]) {
        const problems = problemsOf(() => loadConfig(env));
        const name = Object.keys(env)[0]!;
        assert.ok(
          problems.some((p) => p.startsWith(name) && /<tenantId>:<objectId>/.test(p) && /bare object id/.test(p)),
          problems.join('; '),
        );
      }
    });

    it('refuse malformed entries, naming the variable', () => {
      for (const bad of [`${T1}:not-a-guid`, `not-a-guid:${M}`, `${T1}:${M}:${M}`, `${T1}:`, `:${M}`]) {
        const problems = problemsOf(() => loadConfig({ ADMIN_AAD_OBJECT_IDS: bad }));
        assert.ok(
          problems.some((p) => p.startsWith('ADMIN_AAD_OBJECT_IDS') && /both GUIDs/.test(p)),
          `${bad}: ${problems.join('; ')}`,
        );
      }
    });

    it('refuse a tenant that is not in ALLOWED_TENANT_IDS (unless any tenant is allowed)', () => {
      assert.deepEqual(
        problemsOf(() => loadConfig({ ALLOWED_TENANT_IDS: T1, MANAGER_AAD_OBJECT_IDS: `${T2}:${M}` })),
        ['MANAGER_AAD_OBJECT_IDS names a tenant that is not in ALLOWED_TENANT_IDS'],
      );
      assert.equal(
        loadConfig({ ALLOWED_TENANT_IDS: '*', MANAGER_AAD_OBJECT_IDS: `${T2}:${M}` }).MANAGER_AAD_OBJECT_IDS.length,
        1,
      );
      assert.equal(
        loadConfig({ ALLOWED_TENANT_IDS: T1.toUpperCase(), ADMIN_AAD_OBJECT_IDS: `${T1}:${M}` }).ADMIN_AAD_OBJECT_IDS
          .length,
        1,
      );
    });
  });

  describe('request body limits', () => {
    it('have defaults and are validated by name', () => {
      const config = loadConfig({});
      assert.equal(config.BODY_TIMEOUT_MS, 10_000);
      assert.equal(config.MAX_BODIES_IN_FLIGHT, 100);
      const problems = problemsOf(() => loadConfig({ BODY_TIMEOUT_MS: '5', MAX_BODIES_IN_FLIGHT: '0' }));
      assert.ok(problems.some((p) => p.startsWith('BODY_TIMEOUT_MS')));
      assert.ok(problems.some((p) => p.startsWith('MAX_BODIES_IN_FLIGHT')));
    });
  });
});
