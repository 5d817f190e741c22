/**
 * Class labels are taken as the CSV gives them (hostile review #7): the parser trims unquoted cells;
 * whitespace a file quotes is part of the label, so `"\t=1"` and `=1` are two classes, not one.
 * Adult's test-file suffix (`<=50K.`) is still removed with `labelSuffix`.
 */
import { parseCsv } from '../../src/ml/data/csv';
import { normalizeSpec } from '../../src/ml/spec';
import { normalizeLabel, readTarget } from '../../src/ml/target';

const spec = (labelSuffix?: string) =>
  normalizeSpec({ layers: [{ type: 'dense', units: 1, activation: 'sigmoid' }], loss: 'binary_crossentropy', preprocessing: labelSuffix ? { labelSuffix } : {} });

it('keeps quoted whitespace in labels: "\\t=1" and =1 are two classes', () => {
  const table = parseCsv('x,y\n1,=1\n2,"\t=1"\n3,=1\n4,"\t=1"\n');
  const t = readTarget(table, 'y', spec());
  expect(t.info.classes).toEqual(['\t=1', '=1']);
  expect(Array.from(t.y)).toEqual([1, 0, 1, 0]);
});

it('still reads unquoted padding as the parser trims it, and removes a label suffix', () => {
  const table = parseCsv('x,y\n1, <=50K.\n2, >50K.\n3,<=50K\n');
  expect(readTarget(table, 'y', spec('.')).info.classes).toEqual(['<=50K', '>50K']);
});

it('takes a label of only whitespace as missing', () => {
  expect(normalizeLabel('  ')).toBe('');
  expect(normalizeLabel(' a ')).toBe(' a ');
  expect(normalizeLabel('b.', '.')).toBe('b');
});
