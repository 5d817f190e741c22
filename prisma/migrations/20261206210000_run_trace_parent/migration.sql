-- Tracing (src/lib/tracing/): the W3C traceparent of the request that started a training run, so
-- the worker's span for the run links to it (a queued run may wait and be claimed by any worker).
-- NULL when tracing was off in the process that started it. At most 55 characters (00-<32>-<16>-<2>).
ALTER TABLE "TrainingRun" ADD COLUMN "traceParent" VARCHAR(55);
