/**
 * The worker process' cache of parsed datasets (src/ml/data/table-cache.ts), emptied of a dataset
 * when any API process announces it deleted or archived (`Topics.datasetRemoved`). A process that
 * misses the event still never trains on a removed dataset: every run reads its dataset row first
 * (archived and deleted ones are not found), and the key carries the content checksum.
 */
import type { Logger } from '../lib/logger';
import type { PubSub } from '../lib/pubsub';
import { TableCache } from '../ml/data/table-cache';
import { Topics } from '../modules/events';

/** The cache and how to stop listening. */
export interface DatasetTables {
  /** Undefined when the budget is 0. */
  tables?: TableCache;
  stop(): Promise<void>;
}

/** @param maxBytes TRAINING_DATASET_CACHE_BYTES (0: nothing is kept, nothing listened to). */
export function startDatasetTables(maxBytes: number, pubsub: PubSub, log: Logger): DatasetTables {
  if (maxBytes === 0) return { stop: async () => undefined };
  const tables = new TableCache(maxBytes);
  const removed = pubsub.subscribe(Topics.datasetRemoved);
  void (async () => {
    for await (const { tenantId, datasetId } of removed) {
      const dropped = tables.dropDataset(tenantId, datasetId);
      if (dropped) log.debug({ tenantId, datasetId, dropped }, 'parsed dataset dropped from the training cache');
    }
  })();
  return { tables, stop: async () => void (await removed.return()) };
}
