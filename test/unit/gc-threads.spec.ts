/** GC_PARALLEL_SCAVENGE sets V8's parallel_scavenge flag (read by V8 at every scavenge) both ways. */
import os from 'node:os';
import v8 from 'node:v8';
import { applyGcThreads } from '../../src/lib/gc-threads';
import { loadConfig } from '../../src/config';

afterAll(() => v8.setFlagsFromString('--parallel-scavenge')); // V8's default, for the rest of this Jest worker

it('turns the helper threads off on 2 cores or fewer by default, and as GC_PARALLEL_SCAVENGE says', () => {
  const set = jest.spyOn(v8, 'setFlagsFromString');
  applyGcThreads(loadConfig({ DATABASE_URL: 'postgresql://x@127.0.0.1/x' }));
  applyGcThreads(loadConfig({ DATABASE_URL: 'postgresql://x@127.0.0.1/x', GC_PARALLEL_SCAVENGE: 'true' }));
  applyGcThreads(loadConfig({ DATABASE_URL: 'postgresql://x@127.0.0.1/x', GC_PARALLEL_SCAVENGE: 'false' }));
  const byDefault = os.availableParallelism() > 2 ? '--parallel-scavenge' : '--no-parallel-scavenge';
  expect(set.mock.calls).toEqual([[byDefault], ['--parallel-scavenge'], ['--no-parallel-scavenge']]);
  set.mockRestore();
});
