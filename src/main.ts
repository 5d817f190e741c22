/** API process: `npm start`. */
import 'reflect-metadata';
import { startApp } from './app';
import { loadConfig } from './config';
import { createLogger } from './lib/logger';
import { CONSOLE_PATH } from './graphql/console';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const app = await startApp(config, log);
  const consoleUrl = new URL(CONSOLE_PATH, app.server.url).href;
  log.info(
    { url: app.server.url, ws: app.server.wsUrl, console: consoleUrl, tfBackend: app.tfBackend, worker: config.WORKER_ENABLED },
    config.GRAPHQL_EXPLORER === 'off'
      ? `MaaS API ready; web console at ${consoleUrl}`
      : `MaaS API ready; web console at ${consoleUrl}, GraphQL explorer (${config.GRAPHQL_EXPLORER}) at ${app.server.url}`,
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await app.stop().catch((err) => log.error({ err: err.message }, 'error while shutting down'));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
