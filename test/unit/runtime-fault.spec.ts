/** Which errors mean the WASM runtime itself aborted (src/ml/runtime-fault.ts), as opposed to one call's error. */
import { AppError } from '../../src/lib/errors';
import { isRuntimeAbort } from '../../src/ml/runtime-fault';

it.each<[string, unknown, boolean]>([
  ['an Emscripten abort (seen when XNNPACK ran out of memory)', new Error('Aborted(). Build with -sASSERTIONS for more info.'), true],
  ['a WebAssembly trap', new WebAssembly.RuntimeError('unreachable'), true],
  ['an abort thrown as a string', 'abort(OOM)', true],
  ['a disposed model', new Error('Scorer used after dispose()'), false],
  ['a coded error', new AppError('BAD_USER_INPUT', 'Aborted(1) is not a column'), false],
])('%s', (_what, err, expected) => {
  expect(isRuntimeAbort(err)).toBe(expected);
});
