/**
 * The bot as src/index.ts starts it, with the draft fixture pack installed beside the real packs:
 * the entry the tenant-pack browser e2e test runs (`node --import tsx test/support/fixturePackBot.ts`).
 */
import { loadConfig } from '../../src/config';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { packsWithDraft } from './fixturePacks';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const app = await createApp(config, { logger, rulePacks: packsWithDraft() });
  await app.listen();
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
  process.once('SIGINT', () => void app.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  process.stderr.write(`Start-up failed: ${(err as Error).message}\n`);
  process.exit(1);
});
