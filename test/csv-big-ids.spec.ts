/**
 * Integer ids beyond 2^53 - 1 (issue 10): a double would read 9007199254740993 and 9007199254740995
 * as 9007199254740992 and 9007199254740996, or merge neighbours into one; the column is kept as text,
 * as uploaded (src/ml/data/csv.ts), so the profile counts them apart and the batch result carries
 * each id with every digit.
 */
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { download, runBatch } from './support/batch';
import { createTenant, type TenantBundle } from './support/factories';
import { trainVersion } from './support/training';
import { uploadOk } from './support/uploads';

let app: App;
let t: TenantBundle;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'big-ids');
});
afterAll(() => app.stop());

/** 40 rows; the ids beyond 2^53 come after 30 small ones (the column turns to text late). */
const BIG = ['9007199254740993', '9007199254740995', '9007199254740992', '-9007199254740993'];
const ROWS = [...Array.from({ length: 36 }, (_, i) => String(i + 1)).slice(0, 30), ...BIG, ...['31', '32', '33', '34', '35', '36']].map(
  (id, i) => `${id},${(i % 10) / 10},${i % 10 >= 5 ? 1 : 0}`,
);
const CSV = ['id,x,label', ...ROWS].join('\n') + '\n';
const SPEC = { layers: [{ type: 'DENSE', units: 1, inputDim: 1, activation: 'SIGMOID' }], loss: 'BINARY_CROSSENTROPY', optimizer: { name: 'ADAM' }, epochs: 1, batchSize: 16 };

it('profiles the id column as text with every id distinct, and the batch result carries each id exactly', async () => {
  const dataset = await uploadOk(t, 'big-ids.csv', CSV);
  const id = dataset.columns.find((c) => c.name === 'id')!;
  expect([id.type, id.distinct, id.missing]).toEqual(['categorical', 40, 0]);
  expect(dataset.columns.find((c) => c.name === 'x')!.type).toBe('numeric');

  await trainVersion(t, { datasetId: dataset.id, targetColumn: 'label', modelName: 'big-ids', spec: SPEC, featureColumns: ['x'] });
  const res = await download(t, await runBatch(t, 'big-ids', dataset.id));
  expect(res.status).toBe(200);
  const lines = (await res.text()).trim().split('\n');
  expect(lines[0]).toBe('"id","x","label","predicted_label","predicted_probability"');
  const ids = lines.slice(1).map((l) => l.split(',')[0]);
  expect(ids).toHaveLength(40);
  expect(ids.slice(30, 34)).toEqual(BIG.map((b) => `"${b}"`));
  expect(new Set(ids).size).toBe(40);
  expect(ids.filter((i) => i === '"9007199254740993"' || i === '"9007199254740995"')).toHaveLength(2);
});

it('keeps the profile as stored: read back, the id column is still text with 40 distinct values', async () => {
  const dataset = await uploadOk(t, 'big-ids-again.csv', CSV);
  const read = await gqlOk<{ dataset: { columns: { name: string; type: string; distinct: number }[] } }>(
    t,
    'query($id: ID!) { dataset(id: $id) { columns { name type distinct } } }',
    {
      id: dataset.id,
    },
  );
  expect(read.dataset.columns.find((c) => c.name === 'id')).toEqual({ name: 'id', type: 'categorical', distinct: 40 });
});
