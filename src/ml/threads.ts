/** The worker threads a process keeps for ML work off its event loop. */
import { createCsvThreads, type CsvThreads } from './data/csv-tasks';
import { createTrainingThreads, type TrainingThreads } from './train-task';

export interface MlThreads {
  /** CSV decode, parse, profile and correlations (DATA_THREADS threads). */
  csv: CsvThreads;
  /** Training runs (one thread per run this process trains at once). */
  training: TrainingThreads;
  /** Waits for running tasks, then stops every thread. */
  close(): Promise<void>;
}

/** Threads start on first use and exit after a minute idle. */
export function createMlThreads(config: { DATA_THREADS: number; TRAINING_THREAD_HEAP_MB?: number }): MlThreads {
  const csv = createCsvThreads(config.DATA_THREADS);
  const training = createTrainingThreads(1, config.TRAINING_THREAD_HEAP_MB); // the queue hands this process one training run at a time
  return {
    csv,
    training,
    close: async () => {
      await Promise.all([csv.close(), training.close()]);
    },
  };
}
