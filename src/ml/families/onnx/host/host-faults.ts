/**
 * Test-only fault injection for ONNX hosts (ONNX_HOST_FAULT_INJECTION, refused when
 * NODE_ENV=production by src/config.ts): the host process fails for real when it is given a file
 * whose sha256 starts with a configured prefix, at a configured step, so the containment of
 * ./host-process.ts is tested against a real native crash or a real runaway allocation.
 * The scoring threads' twin is src/ml/serving/fault-injection.ts.
 */
import { badInput } from '../../../../lib/errors';

/** When the host fails: validating the upload, opening the session, or running it. */
export type HostFaultStep = 'inspect' | 'load' | 'infer';
/**
 * How the host fails:
 * - `abort`: `process.abort()` (SIGABRT, as a C++ assertion or std::terminate in onnxruntime);
 * - `oom`: allocates memory outside the V8 heap (as onnxruntime's own allocator does), until the
 *   parent's RSS watchdog (ONNX_HOST_MAX_RSS_MB) kills it;
 * - `hang`: never answers (as a parser stuck in a loop), until the parent's timeout kills it.
 */
export type HostFaultMode = 'abort' | 'oom' | 'hang';

export interface HostFault {
  /** Start of the file's sha256, hex (at least 8 characters). */
  sha256: string;
  step: HostFaultStep;
  mode: HostFaultMode;
}

/** The shape ONNX_HOST_FAULT_INJECTION must have (src/config.ts checks it with this). */
export const HOST_FAULT_PATTERN = /^[0-9a-f]{8,64}:(inspect|load|infer):(abort|oom|hang)(,[0-9a-f]{8,64}:(inspect|load|infer):(abort|oom|hang))*$/;

/**
 * @param value `<sha256 prefix>:<inspect|load|infer>:<abort|oom|hang>`, several separated by commas.
 * @throws AppError BAD_USER_INPUT naming the value when it does not have that shape.
 */
export function parseHostFaults(value: string): HostFault[] {
  if (!HOST_FAULT_PATTERN.test(value))
    throw badInput(`ONNX_HOST_FAULT_INJECTION=${JSON.stringify(value.slice(0, 100))} is not <sha256 prefix>:<inspect|load|infer>:<abort|oom|hang>[,...]`);
  return value.split(',').map((item) => {
    const [sha256, step, mode] = item.split(':') as [string, HostFaultStep, HostFaultMode];
    return { sha256, step, mode };
  });
}

/** Fails this host process as `mode` says. Never returns normally (the parent kills an `oom` host). */
export async function failHost(mode: HostFaultMode): Promise<never> {
  if (mode === 'abort') process.abort();
  if (mode === 'hang') return new Promise<never>(() => undefined);
  const hog: Buffer[] = [];
  for (;;) {
    hog.push(Buffer.alloc(32 << 20, hog.length & 0xff)); // 32 MiB a step, filled so it is resident
    await new Promise((resolve) => setImmediate(resolve)); // lets the parent's watchdog see it grow
  }
}
