/** "Did you mean" (src/lib/errors.ts closest): the same hints as plain Levenshtein, at bounded cost whatever the candidates. */
import { boundedEditDistance, closest, didYouMean, nameList } from '../../src/lib/errors';

/** Plain Levenshtein, the reference. */
function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

it('agrees with plain Levenshtein up to the bound, and says max + 1 beyond it', () => {
  const words = ['', 'a', 'ab', 'Outcome', 'Outcom', 'outcome', 'Glucose', 'BloodPressure', 'Blood', 'kitten', 'sitting', 'xyzzy', 'Insulin', 'insulni'];
  for (const a of words)
    for (const b of words)
      for (const max of [0, 1, 2, 3, 5, 20]) {
        const d = levenshtein(a, b);
        expect([a, b, max, boundedEditDistance(a, b, max)]).toEqual([a, b, max, d <= max ? d : max + 1]);
      }
});

it('suggests as before: the closest name within max(2, length/3), case-insensitive, first on a tie', () => {
  expect(closest('Outcom', ['Glucose', 'Outcome', 'Age'])).toBe('Outcome');
  expect(closest('glucose', ['Glucose', 'Outcome'])).toBe('Glucose');
  expect(closest('ab', ['ax', 'ay'])).toBe('ax');
  expect(closest('zzzzzz', ['Glucose', 'Outcome'])).toBeUndefined();
  expect(didYouMean('Outcom', ['Outcome'])).toBe(" (did you mean 'Outcome'?)");
});

it('answers at once over 200 candidates of 200,000 characters and over 100,000 candidates', () => {
  const huge = Array.from({ length: 200 }, (_, j) => `${j}${'x'.repeat(199_999)}`);
  expect(closest('Outcom', [...huge, 'Outcome'])).toBe('Outcome');
  expect(closest('x'.repeat(150), huge)).toBeUndefined();
  const many = Array.from({ length: 100_000 }, (_, j) => `column_${j}`);
  expect(closest('column_12', many)).toBe('column_12');
  // Only the first 1,000 candidates are compared.
  expect(closest('Outcom', [...many, 'Outcome'])).toBeUndefined();
  expect(closest('y'.repeat(201), ['y'.repeat(201)])).toBeUndefined();
});

it('lists at most 30 names in a message, each cut to 60 characters', () => {
  expect(nameList(['a', 'b'])).toBe('a, b');
  const names = Array.from({ length: 40 }, (_, j) => `${j}${'n'.repeat(100)}`);
  const list = nameList(names);
  expect(list.split(', ')).toHaveLength(31);
  expect(list.endsWith(', … (10 more)')).toBe(true);
  expect(list.startsWith(`0${'n'.repeat(56)}..., 1`)).toBe(true);
});
