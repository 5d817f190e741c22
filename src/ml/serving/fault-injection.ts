/**
 * Test-only fault injection for scoring (SCORING_FAULT_INJECTION, refused when
 * NODE_ENV=production by src/config.ts): when the named model version scores, its runtime fails
 * for real, so the containment of src/ml/serving/scoring-threads.ts is tested against the failure
 * itself and not a mock.
 */
import { badInput } from '../../lib/errors';

/**
 * How the runtime fails:
 * - `abort`: a WebAssembly abort (`RuntimeError: Aborted(...)`, as XNNPACK out of memory raises);
 * - `oom`: the thread's V8 heap grows until its resourceLimits end it (a scoring thread only);
 * - `exit`: the thread ends itself (a scoring thread only).
 */
export type FaultMode = 'abort' | 'oom' | 'exit';

export interface FaultInjection {
  versionId: string;
  mode: FaultMode;
}

const MODES: readonly FaultMode[] = ['abort', 'oom', 'exit'];

/**
 * @param value `<versionId>[:<abort|oom|exit>]`, several separated by commas (mode: abort by default).
 * @throws AppError BAD_USER_INPUT naming the value when a mode is unknown or an id empty.
 */
export function parseFaultInjection(value: string): FaultInjection[] {
  return value.split(',').map((item) => {
    const [versionId, mode = 'abort', ...rest] = item.split(':');
    if (!versionId || rest.length > 0 || !MODES.includes(mode as FaultMode)) {
      throw badInput(`SCORING_FAULT_INJECTION=${JSON.stringify(value.slice(0, 100))} is not <versionId>[:<${MODES.join('|')}>][,...]`);
    }
    return { versionId, mode: mode as FaultMode };
  });
}

/** Fails the runtime as `mode` says. Never returns normally. */
export function injectFault(mode: FaultMode): never {
  if (mode === 'exit') process.exit(1); // in a worker thread: ends that thread only
  if (mode === 'oom') {
    const hog: number[][] = [];
    for (;;) hog.push(new Array<number>(1 << 20).fill(hog.length)); // ~8 MB a step, until V8 ends the thread
  }
  throw new WebAssembly.RuntimeError('Aborted(injected scoring fault). Build with -sASSERTIONS for more info.');
}
