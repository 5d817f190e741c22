/**
 * The ONNX host process on its own (src/ml/families/onnx/host/): its settings in src/config/onnx.ts, its
 * fault injection's parse, an upload validated in a throwaway host (the real mnist-8 file), and a
 * validation that never answers refused with INVALID_MODEL TIMEOUT (the host hangs for real, on
 * ONNX_HOST_FAULT_INJECTION; the timeout kills it).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { loadConfig } from '../../src/config';
import { HOST_FAULT_PATTERN, parseHostFaults } from '../../src/ml/families/onnx/host/host-faults';
import { closeOnnxHosts, configureOnnxHosts, onnxHostPids } from '../../src/ml/families/onnx/host/hosts';
import { inspectOnnxIsolated } from '../../src/ml/families/onnx/host/inspect-isolated';
import { sharedDataFile } from '../../src/lib/paths';

const base = { DATABASE_URL: 'postgresql://x@127.0.0.1/db', NODE_ENV: 'test' };
const mnist = fs.readFileSync(sharedDataFile('onnx-models', 'mnist-8.onnx'));
const iris = fs.readFileSync(sharedDataFile('onnx-models', 'rf_iris.onnx'));

afterAll(() => closeOnnxHosts());

it('reads the ONNX host settings, naming a bad value, and refuses fault injection in production', () => {
  const c = loadConfig(base);
  expect([c.ONNX_HOST_MAX_RSS_MB, c.ONNX_HOST_HEAP_MB, c.ONNX_INSPECT_TIMEOUT_MS, c.ONNX_HOST_FAULT_INJECTION]).toEqual([2048, 512, 30_000, undefined]);
  expect(() => loadConfig({ ...base, ONNX_HOST_MAX_RSS_MB: '64' })).toThrow(/ONNX_HOST_MAX_RSS_MB="64"/);
  expect(() => loadConfig({ ...base, ONNX_HOST_FAULT_INJECTION: 'abcdef01:parse:abort' })).toThrow(/ONNX_HOST_FAULT_INJECTION="abcdef01:parse:abort"/);
  const prod = { ...base, NODE_ENV: 'production', ADMIN_SECRET: 'a'.repeat(16), JWT_SECRET: 'j'.repeat(32) };
  expect(() => loadConfig({ ...prod, ONNX_HOST_FAULT_INJECTION: 'abcdef01:load:abort' })).toThrow(
    'Invalid configuration: ONNX_HOST_FAULT_INJECTION makes ONNX hosts crash on purpose and is refused when NODE_ENV=production',
  );
});

it('parses host faults with the same pattern as the config', () => {
  const configPattern = /regex\((\/\^\[0-9a-f\].*?\$\/),/.exec(fs.readFileSync(require.resolve('../../src/config/onnx.ts'), 'utf8').replace(/\n\s*/g, ''))?.[1];
  expect(configPattern).toBe(String(HOST_FAULT_PATTERN));
  expect(parseHostFaults('abcdef01:inspect:abort,0123456789:infer:oom')).toEqual([
    { sha256: 'abcdef01', step: 'inspect', mode: 'abort' },
    { sha256: '0123456789', step: 'infer', mode: 'oom' },
  ]);
  expect(() => parseHostFaults('xyz:load:abort')).toThrow('ONNX_HOST_FAULT_INJECTION="xyz:load:abort" is not <sha256 prefix>:<inspect|load|infer>:<abort|oom|hang>[,...]');
});

it('validates an upload in a throwaway host, and refuses one whose validation hangs (INVALID_MODEL TIMEOUT)', async () => {
  const hang = createHash('sha256').update(iris).digest('hex').slice(0, 12);
  configureOnnxHosts({ inspectTimeoutMs: 2000, faultInjection: `${hang}:inspect:hang` });
  expect((await inspectOnnxIsolated(mnist, 'mnist-8.onnx')).inputs.map((i) => i.name)).toEqual(['Input3']);
  await expect(inspectOnnxIsolated(iris, 'stuck.onnx')).rejects.toMatchObject({
    code: 'INVALID_MODEL',
    message: "File 'stuck.onnx' could not be validated: the ONNX runtime took longer than ONNX_INSPECT_TIMEOUT_MS=2000 ms",
    details: { reason: 'TIMEOUT', filename: 'stuck.onnx' },
  });
  expect(onnxHostPids()).toEqual([]); // each validation's host is gone
});
