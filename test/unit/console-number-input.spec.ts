/**
 * The console's reading of typed numbers (web/console/number-input.ts): finite decimals only, an
 * empty field missing only where the model allows it, each refusal naming the field and the text.
 */
import { readNumber } from '../../web/console/number-input';

it('reads decimals as CSVs write them, spaces around them ignored', () => {
  expect(['12', ' -0.5 ', '.5', '+3.', '1e-3', '2E+2', '0'].map((t) => readNumber(t, 'Glucose', false).value)).toEqual([12, -0.5, 0.5, 3, 0.001, 200, 0]);
});

it('refuses what Number() would turn into another number, NaN or Infinity', () => {
  expect(readNumber('abc', 'Glucose', true)).toEqual({ error: "Glucose must be a decimal number such as 12 or -0.5, not 'abc'" });
  expect(readNumber('0x10', 'Glucose', true).error).toBe("Glucose must be a decimal number such as 12 or -0.5, not '0x10'");
  for (const t of ['NaN', 'Infinity', '-Infinity', '1,5', '1 000', '1e', '--1', '0b11']) expect([t, readNumber(t, 'x', true).value]).toEqual([t, undefined]);
  expect(readNumber('1e400', 'Glucose', true)).toEqual({ error: "Glucose '1e400' is too large: a number must be within ±1.8e308" });
  expect(readNumber('-1e308', 'Glucose', true)).toEqual({ value: -1e308 });
});

it('reads an empty field as missing only where the model has a value for a missing one', () => {
  expect(readNumber('', 'Glucose', true)).toEqual({ value: null });
  expect(readNumber('   ', 'Glucose', true)).toEqual({ value: null });
  expect(readNumber('', 'Glucose', false)).toEqual({ error: 'Glucose needs a number: this model has no value for a missing one' });
});
