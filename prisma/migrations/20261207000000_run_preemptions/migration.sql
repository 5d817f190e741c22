-- Fair training slots (src/modules/training/training-run.repo.ts shouldYield): how many times a run
-- gave its slot back to another tenant. A run given back k times is not asked again until it has
-- trained TRAINING_PREEMPT_AFTER_SECONDS × 2^k seconds since its latest start, so a tenant that
-- starts and cancels runs in a loop cannot make another tenant's run start over forever.
ALTER TABLE "TrainingRun" ADD COLUMN "preemptions" INTEGER NOT NULL DEFAULT 0;
