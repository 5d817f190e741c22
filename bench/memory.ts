/**
 * BENCH_ONLY=memory: the API process' resident memory (VmRSS of its pid, Linux /proc), idle, per
 * loaded small model and per open websocket subscription. RSS moves in allocator chunks and with
 * garbage collection: the per-item figures are deltas over many items, good to ±20 %.
 */
import fs from 'node:fs';
import { gqlOk, wsClient, type Caller } from '../src/client/graphql-client';
import { KERAS_SPEC, PIMA_ROW } from '../src/client/reference-job';
import { queuedTraining } from './training';

/** The process' resident set, MiB. */
export function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/**
 * @param models versions of the seed model trained (1 epoch each) and then loaded by one predict each.
 * @param subscriptions websockets opened, each with one `modelStageChanged` subscription that stays open.
 */
export async function runMemoryBench(
  me: Caller,
  pid: number,
  datasetId: string,
  idleMiB: number,
  say: (s?: string) => void,
  models = 8,
  subscriptions = 500,
): Promise<{ perModelKiB: number; perSubscriptionKiB: number }> {
  say(`- idle, right after start (database, threads, no request yet): ${idleMiB.toFixed(0)} MiB`);
  for (let i = 0; i < models; i++) await queuedTraining(me, datasetId, 1, 'memory');
  // One predict to load the scoring thread's runtime, so the deltas count models only.
  await gqlOk(me, 'query($rows: [JSONObject!]!) { predict(model: "memory", version: 1, rows: $rows) { version } }', { rows: [PIMA_ROW] });
  const beforeModels = rssMiB(pid);
  for (let v = 2; v <= models; v++)
    await gqlOk(me, 'query($rows: [JSONObject!]!, $v: Int) { predict(model: "memory", version: $v, rows: $rows) { version } }', { rows: [PIMA_ROW], v });
  const perModel = ((rssMiB(pid) - beforeModels) * 1024) / (models - 1);
  say(`- per loaded small model (the seed model, ${KERAS_SPEC.layers.length} dense layers): ${perModel.toFixed(0)} KiB (${models - 1} versions loaded, one predict each)`);

  const beforeSockets = rssMiB(pid);
  const clients = Array.from({ length: subscriptions }, () => wsClient(me.url.replace('http', 'ws'), me.token));
  // Each subscription answers the model's stages first, then stays open for moves.
  await Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve, reject) =>
          client.subscribe({ query: 'subscription { modelStageChanged(model: "memory") { __typename } }' }, { next: () => resolve(), error: reject, complete: () => resolve() }),
        ),
    ),
  );
  const perSubscription = ((rssMiB(pid) - beforeSockets) * 1024) / subscriptions;
  await Promise.all(clients.map((c) => c.dispose()));
  say(`- per open subscription (its own websocket, authenticated, one \`modelStageChanged\` each): ${perSubscription.toFixed(0)} KiB (${subscriptions} opened)`);
  return { perModelKiB: perModel, perSubscriptionKiB: perSubscription };
}
