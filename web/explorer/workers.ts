/**
 * Monaco's editor workers, from files bundled beside this script (scripts/build-explorer.mjs) rather
 * than a CDN: the same three as `@graphiql/react/setup-workers/webpack`, loaded relative to the page's
 * script so the explorer works offline.
 */
const base = new URL('.', (document.currentScript as HTMLScriptElement | null)?.src ?? document.querySelector<HTMLScriptElement>('script[data-explorer]')!.src);

const WORKERS: Record<string, string> = { json: 'json.worker.js', graphql: 'graphql.worker.js' };

(globalThis as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return new Worker(new URL(WORKERS[label] ?? 'editor.worker.js', base));
  },
};
