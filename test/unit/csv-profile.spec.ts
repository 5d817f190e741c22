/** CSV parsing (delimiters, quotes, headers, missing codes, malformed input) and column profiles. */
import { cellText, parseCsv } from '../../src/ml/data/csv';
import { correlationsWithTarget } from '../../src/ml/data/correlate';
import { profileTable } from '../../src/ml/data/profile';
import { histogramSorted, quantileSorted } from '../../src/ml/data/stats';

const col = (csv: string, name: string, options = {}) => {
  const table = parseCsv(csv, options);
  return profileTable(table).find((c) => c.name === name)!;
};

describe('parseCsv', () => {
  it('detects the delimiter and header, and reads RFC 4180 quoted fields', () => {
    const t = parseCsv('name;note;n\n"Smith; J.";"said ""hi""\nthen left";1\nDoe;;2\n');
    expect(t).toMatchObject({ delimiter: ';', hasHeader: true, columns: ['name', 'note', 'n'], rowCount: 2 });
    expect(cellText(t.data[0], 0)).toBe('Smith; J.');
    expect(cellText(t.data[1], 0)).toBe('said "hi"\nthen left');
    expect(cellText(t.data[1], 1)).toBe(''); // empty = missing
    expect(t.data[2]).toMatchObject({ kind: 'numeric', values: Float64Array.of(1, 2) });
  });

  it('reads only plain decimals as numbers: hex, binary and octal literals stay text', () => {
    const t = parseCsv('id,x,y\n0x10,1e3,-.5\n0b11,+2,7.\n0o7,3,8\n');
    expect(t.data[0]).toMatchObject({ kind: 'string', dictionary: ['0x10', '0b11', '0o7'] });
    expect(t.data[1]).toMatchObject({ kind: 'numeric', values: Float64Array.of(1000, 2, 3) });
    expect(t.data[2]).toMatchObject({ kind: 'numeric', values: Float64Array.of(-0.5, 7, 8) });
  });

  it('keeps a column of integers beyond 2^53 - 1 as text, as written, even when the big ones come late', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i + 1},${i}`);
    const t = parseCsv(['id,x', ...rows, '9007199254740993,1', '9007199254740995,2', '-9007199254740993,3', '9007199254740992,4', ''].join('\n'));
    expect(t.data[0].kind).toBe('string');
    const ids = Array.from({ length: t.rowCount }, (_, i) => cellText(t.data[0], i));
    expect(ids.slice(0, 2)).toEqual(['1', '2']); // the rows before the switch, filled in as written
    expect(ids.slice(30)).toEqual(['9007199254740993', '9007199254740995', '-9007199254740993', '9007199254740992']);
    expect(new Set(ids).size).toBe(34);
    expect(t.data[1].kind).toBe('numeric');
    const profile = profileTable(t).find((c) => c.name === 'id')!;
    expect([profile.type, profile.distinct]).toEqual(['categorical', 34]);
  });

  it('keeps numbers that a double holds as they are: 2^53 - 1, decimals and exponents beyond 2^53', () => {
    const t = parseCsv('a,b,c,d\n9007199254740991,9007199254740993.5,1e20,-9007199254740991\n1,2,3,4\n');
    expect(t.data.map((c) => c.kind)).toEqual(['numeric', 'numeric', 'numeric', 'numeric']);
    expect(t.data[0]).toMatchObject({ values: Float64Array.of(9007199254740991, 1) });
  });

  it('keeps a semicolon-separated column of decimal commas and an integer beyond 2^53 as text', () => {
    const t = parseCsv('id;v\n3,5;1\n9007199254740993;2\n');
    expect(t.data[0]).toMatchObject({ kind: 'string', dictionary: ['3,5', '9007199254740993'] });
  });

  it('reads decimal commas in semicolon-separated files, and leaves other text alone', () => {
    const t = parseCsv('price;qty;code\n3,5;1;1,2,3\n-0,25;2;x\n;3;y\n10;4;z\n');
    expect(t.data[0]).toMatchObject({ kind: 'numeric', values: Float64Array.of(3.5, -0.25, NaN, 10) });
    expect(t.data[1]).toMatchObject({ kind: 'numeric', values: Float64Array.of(1, 2, 3, 4) });
    expect(t.data[2]).toMatchObject({ kind: 'string' });
    // With commas as the delimiter a quoted "3,5" stays text: the file's own convention is the point.
    expect(parseCsv('a,b\n"3,5",1\n"4,5",2\n').data[0]).toMatchObject({ kind: 'string' });
  });

  it('reads CR-only (old Mac) and CRLF line breaks like LF', () => {
    for (const br of ['\r', '\r\n', '\n']) {
      const t = parseCsv(['a,b', '1,x', '2,y', '3,z'].join(br) + br);
      expect(t.rowCount).toBe(3);
      expect(t.data[0]).toMatchObject({ kind: 'numeric', values: Float64Array.of(1, 2, 3) });
      expect(t.data[1]).toMatchObject({ kind: 'string', dictionary: ['x', 'y', 'z'] });
    }
  });

  it("reads pandas' unnamed index column as a header cell named by position", () => {
    const t = parseCsv(',b,c\n0,2,x\n1,4,y\n');
    expect(t).toMatchObject({ hasHeader: true, columns: ['column_1', 'b', 'c'], rowCount: 2 });
    expect(t.data[1]).toMatchObject({ kind: 'numeric', values: Float64Array.of(2, 4) });
    // Empty header cells anywhere, named by position; a generated name never clashes with a given one.
    expect(parseCsv('a,,b\n1,2,3\n')).toMatchObject({ hasHeader: true, columns: ['a', 'column_2', 'b'] });
    expect(parseCsv(',column_1,b\n0,2,x\n')).toMatchObject({ hasHeader: true, columns: ['column_1_2', 'column_1', 'b'] });
    // A first row whose named cells stand over text, not numbers, is data with a missing value.
    expect(parseCsv('Smith,,London\nDoe,42,Paris\n')).toMatchObject({ hasHeader: false, rowCount: 2 });
  });

  it('reads files that mix CR and LF line breaks', () => {
    const t = parseCsv('a,b\r1,2\r3,4\n5,6\r');
    expect(t).toMatchObject({ columns: ['a', 'b'], rowCount: 3 });
    expect(t.data[0]).toMatchObject({ values: Float64Array.of(1, 3, 5) });
  });

  it('names the columns of a headerless file', () => {
    const t = parseCsv('5.1\t3.5\tIris-setosa\n4.9\t3.0\tIris-setosa\n');
    expect(t).toMatchObject({ delimiter: '\t', hasHeader: false, columns: ['column_1', 'column_2', 'column_3'], rowCount: 2 });
  });

  it.each([
    ['an unclosed quote', 'a,b\n1,2\n3,"4\n5,6\n', /never closed, in the record starting at line 3/],
    ['a ragged row', 'a,b\n1,2\n3,4,5\n', /line 3 has 3 fields/],
    ['a quoted field left open past line 60', `a,b\n${'1,2\n'.repeat(70)}"x,1\n`, /line 72/],
  ])('names the line of %s', (_what, csv, message) => {
    expect(() => parseCsv(csv)).toThrow(message);
  });

  it('reads declared missing codes everywhere or per column; a numeric code matches any spelling of it', () => {
    const csv = 'a,b,c\n1,?,0\n?,2,0.0\n3,4,5\n';
    const t = parseCsv(csv, { missingValues: [{ values: ['?'] }, { column: 'c', values: ['0'] }] });
    expect(t.data.map((d) => d.kind)).toEqual(['numeric', 'numeric', 'numeric']);
    expect(profileTable(t).map((c) => c.missing)).toEqual([1, 1, 2]);
    expect(() => parseCsv(csv, { missingValues: [{ column: 'cc', values: ['0'] }] })).toThrow("missingValues[0].column 'cc' is not a column of the dataset (did you mean 'c'?)");
  });
});

describe('profileTable', () => {
  it('infers numeric, categorical, boolean, text and datetime columns', () => {
    const csv = [
      'n,cat,flag,text,when',
      '1,red,yes,the quick brown fox,2024-01-01',
      '2,blue,no,jumps over the lazy dog,2024-01-03',
      '3,red,Yes,and runs far away,2024-01-02T12:00:00Z',
      ',red,,,',
    ].join('\n');
    expect(profileTable(parseCsv(csv)).map((c) => c.type)).toEqual(['numeric', 'categorical', 'boolean', 'text', 'datetime']);
    const when = col(csv, 'when');
    expect(when).toMatchObject({ earliest: '2024-01-01', latest: '2024-01-03', missing: 1 });
    expect(when.max! - when.min!).toBe(2); // days
    expect(col(csv, 'cat').topValues).toEqual([
      { value: 'red', count: 3 },
      { value: 'blue', count: 1 },
    ]);
  });

  it('gives quantiles (linear interpolation, as numpy) and an equal-width histogram', () => {
    const p = col(`x\n${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].join('\n')}\n`, 'x');
    expect(p).toMatchObject({ min: 1, max: 10, mean: 5.5, distinct: 10, integer: true });
    expect(p.std).toBeCloseTo(Math.sqrt(8.25), 12); // numpy.std (ddof=0)
    // numpy.quantile([1..10], [.05, .25, .5, .75, .95]) = 1.45, 3.25, 5.5, 7.75, 9.55
    expect(p.quantiles!.map((q) => q.value)).toEqual([1.45, 3.25, 5.5, 7.75, 9.55].map((v) => expect.closeTo(v, 12)));
    expect(p.histogram!.map((b) => b.count)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(histogramSorted([0, 0, 0])).toEqual([{ lower: 0, upper: 0, count: 3 }]);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});

describe('correlationsWithTarget', () => {
  it("gives Pearson's r on pairwise complete rows, a two-class target coded 0/1", () => {
    const t = parseCsv('x,y,label,noise\n1,2,no,5\n2,4,no,5\n3,,yes,5\n4,8,yes,5\n');
    const byY = correlationsWithTarget(t, 'y');
    expect(byY.find((c) => c.column === 'x')).toEqual({ column: 'x', pearson: expect.closeTo(1, 12), rows: 3 });
    expect(byY.find((c) => c.column === 'noise')!.pearson).toBeNull(); // constant
    expect(correlationsWithTarget(t, 'label').find((c) => c.column === 'x')!.pearson).toBeCloseTo(0.894427191, 8);
    expect(() => correlationsWithTarget(parseCsv('x,c\n1,a\n2,b\n3,c\n'), 'c')).toThrow(/need a numeric or two-class target/);
  });
});

it('turns a column that looked numeric into strings at its first non-number, keeping the earlier rows', () => {
  const rows = Array.from({ length: 300 }, (_, i) => `${i === 250 ? 'n/a' : i % 7},${i}`);
  const t = parseCsv(['code,id', ...rows].join('\n'));
  expect(t.data.map((d) => d.kind)).toEqual(['string', 'numeric']);
  expect(Array.from({ length: 300 }, (_, i) => cellText(t.data[0], i))).toEqual(rows.map((r) => r.split(',')[0]));
  expect(profileTable(t)[0]).toMatchObject({ type: 'categorical', distinct: 8, missing: 0 });
});
