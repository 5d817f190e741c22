/**
 * CSV we hand out: formula injection escaped per OWASP (quote prefix + double quotes), plain
 * numbers left readable, and cells carried as written in the uploaded file (ids above 2^53).
 */
import { parseCsv } from '../../src/ml/data/csv';
import { toSafeCsv } from '../../src/ml/data/csv-export';

describe('toSafeCsv', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+SUM(A1)', `"'+SUM(A1)"`],
    ['-1+2', `"'-1+2"`],
    ['-Infinity', `"'-Infinity"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\t=1', `"'\t=1"`],
    ['\r=1', `"'\r=1"`],
    ['\n=HYPERLINK("http://e")', `"'\n=HYPERLINK(""http://e"")"`],
    ['  +SUM(A1)', `"'  +SUM(A1)"`],
    [' plain', `" plain"`],
    ['\uFF1D1+1', `"'\uFF1D1+1"`],
    ['\uFF0B1', `"'\uFF0B1"`],
    ['\uFF0D1', `"'\uFF0D1"`],
    ['\uFF20x', `"'\uFF20x"`],
    ['a;=1+1', `"a;=1+1"`],
    ['a,b', `"a,b"`],
    ['plain', `"plain"`],
    ['-1.5', `"-1.5"`],
    ['+3', `"+3"`],
    ['-2e-7', `"-2e-7"`],
    ['9007199254740993', `"9007199254740993"`],
    ['007', `"007"`],
  ])('writes the text cell %j as %s', (cell, expected) => {
    expect(toSafeCsv([[cell]])).toBe(`${expected}\n`);
  });

  it('writes computed numbers bare (negative ones too) and missing cells empty', () => {
    expect(
      toSafeCsv([
        ['row', 'predicted_value'],
        [1, -1.5],
        [2, null],
        [3, 0.25],
      ]),
    ).toBe('"row","predicted_value"\n1,-1.5\n2,\n3,0.25\n');
  });
});

describe('parseCsv keepText', () => {
  it('keeps each cell as written: big ids, leading zeros, trailing zeros, missing codes', () => {
    const t = parseCsv('id,x,y\n9007199254740993,1.50,?\n9007199254740992,007,3\n', { keepText: true, missing: { y: ['?'] } as never });
    const text = (j: number, i: number) => {
      const c = t.text![j];
      return c.codes[i] < 0 ? null : c.dictionary[c.codes[i]];
    };
    expect([text(0, 0), text(0, 1), text(1, 0), text(1, 1), text(2, 0), text(2, 1)]).toEqual(['9007199254740993', '9007199254740992', '1.50', '007', '?', '3']);
    expect(t.data[1]).toMatchObject({ kind: 'numeric', values: Float64Array.of(1.5, 7) }); // typed values unchanged
    expect(t.data[0].kind).toBe('string'); // ids beyond 2^53 - 1 are text in the typed table too (csv.ts)
    expect(parseCsv('a\n1\n').text).toBeUndefined();
  });
});
