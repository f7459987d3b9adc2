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
    const problems = problemsOf(() => loadConfig({ PORT: 'eighty', MICROSOFT_APP_ID: 'not-a-guid', MICROSOFT_APP_PASSWORD: 's3cret-value', ALLOWED_TENANT_IDS: 'x' }));
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
    assert.ok(problemsOf(() => loadConfig({ REMINDER_GLOBAL_PER_SECOND: '-1' })).some((p) => p.startsWith('REMINDER_GLOBAL_PER_SECOND')));
    assert.ok(problemsOf(() => loadConfig({ RETENTION_PURGE_CRON: 'not a cron' })).some((p) => p.startsWith('RETENTION_PURGE_CRON')));
    assert.ok(problemsOf(() => loadConfig({ RETENTION_PURGE_TIMEZONE: 'Mars/Olympus' })).some((p) => p.startsWith('RETENTION_PURGE_TIMEZONE')));
  });
});
