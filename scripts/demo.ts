/**
 * `npm run demo [-- <scenario>]`: one scenario's whole path through the API against a live server,
 * as a user would run it (see scripts/demo/server.ts for which server). Scenarios: `tabular` (the
 * default: Pima, the Keras reference job), `text` (SMS spam, a text classifier), `recommend`
 * (MovieLens 100k, matrix factorisation), `image` (MNIST, a convolutional network).
 * Exits 0 when the scenario reaches its quality bar.
 */
import { demoServer, type DemoServer } from './demo/server';
import { runRecommendDemo } from './demo/recommend';
import { runImageDemo } from './demo/image';
import { runTabularDemo } from './demo/tabular';
import { runTextDemo } from './demo/text';

const SCENARIOS: Record<string, (server: DemoServer) => Promise<number>> = {
  tabular: runTabularDemo,
  text: runTextDemo,
  recommend: runRecommendDemo,
  image: runImageDemo,
};

async function main(): Promise<number> {
  const scenario = process.argv[2] ?? 'tabular';
  const run = SCENARIOS[scenario];
  if (!run) {
    console.error(`Unknown scenario '${scenario}'; choose one of: ${Object.keys(SCENARIOS).join(', ')}`);
    return 2;
  }
  const server = await demoServer();
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('Demo failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
