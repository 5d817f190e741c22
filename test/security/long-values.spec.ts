/**
 * Issue 10, items 1-2: no column name or cell makes the server do unbounded work. "Did you mean"
 * compares bounded names only (a dataset stored with 5,000-character column names still answers an
 * unknown column at once), and an upload is refused, nothing stored, when a header name is longer
 * than 200 characters or a cell longer than DATASET_MAX_CELL_CHARS. A cell within that bound but
 * longer than 500 characters is no class label or item id (review 3: a 65,000-character label made
 * every predicted row 64 KB): the run fails with BAD_USER_INPUT, no version stored.
 */
import type { App } from '../../src/app';
import { codeOf, gql, gqlOk, uploadFile } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';
import { startRun, waitForRun } from '../support/training';

let app: App;
let t: TenantBundle;

const UPLOAD = 'mutation($csv: String!) { uploadDataset(name: "long", csv: $csv) { id } }';
const CORRELATIONS = 'query($id: ID!, $target: String!) { dataset(id: $id) { correlations(target: $target) { column } } }';
const CELL_LIMIT = 1000; // DATASET_MAX_CELL_CHARS for this app, so the refused cells stay small

beforeAll(async () => {
  app = await startTestApp({ DATASET_MAX_CELL_CHARS: String(CELL_LIMIT) });
  t = await createTenant(app);
});
afterAll(() => app.stop());

/** The next valid request of the same tenant still works. */
async function stillServes(): Promise<void> {
  const id = await uploadCsv(t, 'a,b\n1,2\n3,5\n', 'fine');
  const r = await gqlOk(t, CORRELATIONS, { id, target: 'a' });
  expect(r.dataset.correlations).toEqual([{ column: 'b' }]);
}

describe('"did you mean" over long column names', () => {
  it('answers an unknown column of a dataset stored with 50 names of 5,000 characters, with a hint among short ones', async () => {
    const long = Array.from({ length: 50 }, (_, j) => `${String(j).padStart(2, '0')}${'x'.repeat(4998)}`);
    const id = await uploadCsv(t, 'Outcome,Glucose\n1,2\n0,3\n', 'stored-before');
    // As a dataset stored before the 200-character limit: its bytes carry the long header.
    const csv = `${[...long, 'Outcome', 'Glucose'].join(',')}\n${[...long.map(() => '1'), '1', '2'].join(',')}\n${[...long.map(() => '2'), '0', '3'].join(',')}\n`;
    const row = await app.db.prisma.dataset.findUniqueOrThrow({ where: { id } });
    const [outcome, glucose] = row.columns as { name: string }[];
    const columns = [...long.map((name) => ({ ...glucose, name })), outcome, glucose];
    await app.db.prisma.dataset.update({ where: { id }, data: { content: Buffer.from(csv), columns } });
    const r = await gql(t, CORRELATIONS, { id, target: 'Outcom' });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toBe("target 'Outcom' is not a column of the dataset (did you mean 'Outcome'?)");
    const far = await gql(t, CORRELATIONS, { id, target: 'y'.repeat(150) });
    expect(codeOf(far)).toBe('BAD_USER_INPUT');
    expect(far.errors![0].message).toBe(`target '${'y'.repeat(57)}...' is not a column of the dataset`);
    await stillServes();
  });
});

describe('uploads', () => {
  it('refuses a header name longer than 200 characters, naming the column and the length; nothing stored', async () => {
    const before = await app.db.prisma.dataset.count();
    const r = await gql(t, UPLOAD, { csv: `a,${'n'.repeat(201)},c\n1,2,3\n` });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toBe('The CSV header names column 2 with 201 characters; a column name is at most 200 characters');
    expect(r.errors![0].extensions).toMatchObject({ column: 2, length: 201 });
    expect(await app.db.prisma.dataset.count()).toBe(before);
    await uploadCsv(t, `a,${'n'.repeat(200)},c\n1,2,3\n`, 'exactly-200');
    await stillServes();
  });

  it('refuses a cell longer than DATASET_MAX_CELL_CHARS, naming row, line, column and length; nothing stored', async () => {
    const before = await app.db.prisma.dataset.count();
    const csv = `id,text\n1,short\n2,${'w'.repeat(CELL_LIMIT + 1)}\n`;
    const r = await gql(t, UPLOAD, { csv });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toBe(
      `The CSV's cell in row 2 (line 3), column 2 ('text'), is ${CELL_LIMIT + 1} characters; a cell is at most ${CELL_LIMIT} characters (DATASET_MAX_CELL_CHARS)`,
    );
    expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', row: 2, line: 3, column: 2, length: CELL_LIMIT + 1 });
    // The same through a multipart file, and a long cell in a headerless file's first row.
    const file = await uploadFile(t, 'cells', 'cells.csv', `${'q'.repeat(CELL_LIMIT + 5)},1\nb,2\n`, { hasHeader: false });
    expect(codeOf(file)).toBe('BAD_USER_INPUT');
    expect(file.errors![0].message).toBe(
      `The CSV's cell in row 1 (line 1), column 1 ('column_1'), is 1005 characters; a cell is at most ${CELL_LIMIT} characters (DATASET_MAX_CELL_CHARS)`,
    );
    expect(await app.db.prisma.dataset.count()).toBe(before);
    // Past the first 60 rows (read by the full pass rather than the header detection).
    const rows = Array.from({ length: 69 }, (_, i) => `${i + 1},fine`).join('\n');
    const late = await gql(t, UPLOAD, { csv: `id,text\n${rows}\n70,${'z'.repeat(CELL_LIMIT + 2)}\n71,x\n` });
    expect(late.errors![0].message).toBe(
      `The CSV's cell in row 70 (line 71), column 2 ('text'), is ${CELL_LIMIT + 2} characters; a cell is at most ${CELL_LIMIT} characters (DATASET_MAX_CELL_CHARS)`,
    );
    expect(await app.db.prisma.dataset.count()).toBe(before);
    // A cell far past the limit there is refused while it is read: once its record outgrows what
    // 2 cells of 1,000 characters can take (3 bytes each at most, plus delimiters), not at its end.
    const huge = await gql(t, UPLOAD, { csv: `id,text\n${rows}\n70,${'z'.repeat(2_000_000)}\n71,x\n` });
    expect(huge.errors![0]).toMatchObject({
      message: `The CSV's record at line 71 runs past 6002 bytes before it ends: it holds a cell longer than ${CELL_LIMIT} characters, the most a cell may have (DATASET_MAX_CELL_CHARS)`,
      extensions: { code: 'BAD_USER_INPUT', line: 71 },
    });
    expect(await app.db.prisma.dataset.count()).toBe(before);
    // A cell of exactly the limit is accepted.
    await uploadCsv(t, `id,text\n1,${'w'.repeat(CELL_LIMIT)}\n`, 'at-limit');
    await stillServes();
  });
});

describe('labels and ids in every answer', () => {
  const long = (c: string) => c.repeat(501);
  it('fails a classifier whose target has a class label longer than 500 characters, naming the column and length; no version', async () => {
    const csv = ['a,b,y', ...Array.from({ length: 40 }, (_, i) => `${i % 7},${i % 5},${i % 2 ? long('A') : 'short'}`)].join('\n');
    const datasetId = await uploadCsv(t, csv, 'long-labels');
    const spec = {
      layers: [
        { type: 'DENSE', units: 2, activation: 'RELU' },
        { type: 'DENSE', units: 1, activation: 'SIGMOID' },
      ],
      loss: 'BINARY_CROSSENTROPY',
      epochs: 1,
      batchSize: 8,
    };
    for (const [name, s] of [
      ['net', spec],
      ['tree', { model: 'DECISION_TREE' }],
    ] as const) {
      const run = await startRun(t, datasetId, `long-${name}`, s, { targetColumn: 'y' });
      const final = await waitForRun(t, run.id);
      expect(final).toMatchObject({ status: 'FAILED', failureCode: 'BAD_USER_INPUT', modelVersion: null });
      expect(final.failureMessage).toBe(`Target column 'y' has a class label of 501 characters ('${'A'.repeat(40)}…'); class labels may have at most 500`);
    }
  });

  it('fails a recommender whose item column has an id longer than 500 characters', async () => {
    const csv = ['user,item,rating', ...Array.from({ length: 60 }, (_, i) => `u${i % 6},${i === 3 ? long('i') : `i${i % 10}`},${1 + (i % 5)}`)].join('\n');
    const datasetId = await uploadCsv(t, csv, 'long-ids');
    const spec = { model: 'MATRIX_FACTORIZATION', matrixFactorization: { userColumn: 'user', itemColumn: 'item', factors: 2 }, epochs: 1, testFraction: 0.1 };
    const run = await startRun(t, datasetId, 'long-ids', spec, { targetColumn: 'rating' });
    const final = await waitForRun(t, run.id);
    expect(final).toMatchObject({ status: 'FAILED', failureCode: 'BAD_USER_INPUT' });
    expect(final.failureMessage).toBe(`Column 'item' has an id of 501 characters ('${'i'.repeat(40)}…'); ids may have at most 500`);
  });
});
