/** topLevelStrings (src/lib/json-depth.ts): a too-deep message's `id` and `type`, read without parsing it. */
import { topLevelStrings } from '../../src/lib/json-depth';

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

it('reads top-level string values, in any key order, past a value nested a million deep', () => {
  expect(topLevelStrings(`{"payload":{"x":${deep(1_000_000)}},"type":"subscribe","id":"op-1"}`, ['id', 'type'])).toEqual({ id: 'op-1', type: 'subscribe' });
  expect(topLevelStrings(Buffer.from(`{ "id" : "a\\"b" , "type":"subscribe" }`), ['id', 'type'])).toEqual({ id: 'a"b', type: 'subscribe' });
});

it('ignores nested keys, string values that look like keys, non-string values and over-long values', () => {
  expect(topLevelStrings('{"payload":{"id":"inner","type":"subscribe"}}', ['id', 'type'])).toEqual({});
  expect(topLevelStrings('{"note":"id","x":"type"}', ['id', 'type'])).toEqual({});
  expect(topLevelStrings('{"id":5,"type":["subscribe"]}', ['id', 'type'])).toEqual({});
  expect(topLevelStrings(`{"id":"${'x'.repeat(300)}","type":"subscribe"}`, ['id', 'type'])).toEqual({ type: 'subscribe' });
  expect(topLevelStrings('[{"id":"in-array"}]', ['id'])).toEqual({});
  expect(topLevelStrings('{"id":"first","id":"second"}', ['id'])).toEqual({ id: 'first' });
});
