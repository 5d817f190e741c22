/** The API process used by the benchmark: the real server plus the no-op baseline resolver. */
import 'reflect-metadata';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/lib/logger';
import { NoopResolver } from './noop.resolver';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const app = await startApp(config, log, { extraResolvers: [NoopResolver] });
  console.log(`MaaS API ready at ${app.server.url}`);
  process.on('SIGTERM', () => void app.stop().then(() => process.exit(0))); // app.stop is once: a second SIGTERM waits for it
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
