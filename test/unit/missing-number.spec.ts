/** A finite number is missing exactly when its text would be (readMatrix reads numbers without writing them as text). */
import { missingNumberTest, missingTest } from '../../src/ml/data/missing';

it.each([[[] as string[]], [['?']], [['0']], [['0.0', 'NA']], [['-999', '1e3', '']], [['0x10']]])('matches missingTest on the number’s text for codes %j', (codes) => {
  const values = [0, -0, 1, 0.5, -999, 1000, 16, 1e21, Number.MAX_VALUE];
  const byText = values.map((v) => missingTest(codes)(String(v)));
  expect(values.map((v) => missingNumberTest(codes)(v))).toEqual(byText);
});

it('treats 0 and 1,000 as missing for the codes 0.0 and 1e3', () => {
  const test = missingNumberTest(['0.0', '1e3']);
  expect([test(0), test(-0), test(1000), test(1)]).toEqual([true, true, true, false]);
});
