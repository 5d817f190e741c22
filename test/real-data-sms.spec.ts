/**
 * The SMS Spam Collection (Almeida & Gómez Hidalgo, 2011; data/sms-spam/readme) through the API:
 * a headerless, unquoted TSV uploaded with column names, a TEXT_CLASSIFIER (tokenizer → embedding →
 * average pooling → dense) trained on a stratified 80/20 split, predictions for raw strings, and a
 * batch prediction over the dataset.
 *
 * References: 13.4 % of the 5,574 messages are spam, so accuracy alone says little (all-ham scores
 * 0.866). Published results: an LSTM reaches 0.986 accuracy and spam F1 0.94; the readme's best
 * (SVM on tokens) 0.9764 accuracy. Thresholds (issue 11): accuracy >= 0.98 and spam F1 >= 0.92.
 * Measured here (seed 42): accuracy 0.988, spam F1 0.956 (precision 0.972, recall 0.940).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../src/app';
import { collect, gql, gqlOk, wsClient } from '../src/client/graphql-client';
import { SMS_SPEC } from '../scripts/demo/text';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { PREDICT } from './support/predict';
import { trainVersion } from './support/training';
import { uploadOk } from './support/uploads';

let app: App;
let t: TenantBundle;
let datasetId: string;

const SMS = fs.readFileSync(path.join(__dirname, '..', 'data', 'sms-spam', 'SMSSpamCollection'));

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'sms');
});
afterAll(() => app.stop());

it('uploads the headerless TSV with column names and profiles the message as text', async () => {
  const ds = await uploadOk(t, 'SMSSpamCollection', SMS, { columnNames: ['label', 'message'], quoting: false });
  datasetId = ds.id;
  expect(ds).toMatchObject({ rowCount: 5574, hasHeader: false, delimiter: '\t', encoding: 'UTF_8' });
  expect(ds.columns[0]).toMatchObject({ name: 'label', type: 'categorical', distinct: 2 });
  expect(ds.columns[0].topValues).toEqual([
    { value: 'ham', count: 4827 },
    { value: 'spam', count: 747 },
  ]);
  expect(ds.columns[1]).toMatchObject({ name: 'message', type: 'text' });

  const q = `query($id: ID!) { dataset(id: $id) {
    columns { name text { minTokens medianTokens p95Tokens maxTokens meanTokens vocabularySize lengthHistogram { lower upper count } topTokens { token count } } }
    tokensByClass(column: "message", target: "label") { label rows vocabularySize topTokens { token count } } } }`;
  const profile = (await gqlOk(t, q, { id: datasetId })).dataset;
  const text = profile.columns[1].text;
  console.log('SMS message profile:', JSON.stringify({ ...text, lengthHistogram: undefined, topTokens: text.topTokens.slice(0, 5) }));
  expect(profile.columns[0].text).toBeNull();
  expect(text).toMatchObject({ minTokens: expect.any(Number), maxTokens: expect.any(Number) });
  expect(text.medianTokens).toBeGreaterThan(8);
  expect(text.medianTokens).toBeLessThan(20);
  expect(text.p95Tokens).toBeLessThan(64); // the tokenizer's sequence length keeps 95 % of the messages whole
  expect(text.vocabularySize).toBeGreaterThan(8000);
  expect(text.lengthHistogram.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(5574);
  expect(text.topTokens).toHaveLength(20);
  const [ham, spam] = profile.tokensByClass;
  expect([ham.label, ham.rows, spam.label, spam.rows]).toEqual(['ham', 4827, 'spam', 747]);
  // Spam's frequent words are calls to action (the data's readme; Almeida et al. 2011).
  const spamWords = spam.topTokens.map((x: { token: string }) => x.token);
  expect(spamWords).toEqual(expect.arrayContaining(['call', 'free', 'txt']));
  expect(ham.topTokens.map((x: { token: string }) => x.token)).not.toContain('txt');
  const bad = await gql(t, 'query($id: ID!) { dataset(id: $id) { tokensByClass(column: "mesage", target: "label") { label } } }', { id: datasetId });
  expect(bad.errors![0]).toMatchObject({
    extensions: { code: 'BAD_USER_INPUT' },
    message: expect.stringMatching(/column 'mesage' is not a column of the dataset \(did you mean 'message'\?\)/),
  });
});

it('trains a text classifier: accuracy >= 0.98 and spam F1 >= 0.92 on a stratified 20 % test split; predicts strings', async () => {
  const v = await trainVersion(t, { datasetId, targetColumn: 'label', modelName: 'sms', featureColumns: ['message'], spec: SMS_SPEC });
  const m = v.metrics;
  const spam = m.perClass.find((c: { label: string }) => c.label === 'spam');
  console.log(`SMS text classifier: accuracy ${m.accuracy.toFixed(4)}, spam F1 ${spam.f1.toFixed(3)} (precision ${spam.precision.toFixed(3)}, recall ${spam.recall.toFixed(3)})`);
  expect(v).toMatchObject({ framework: 'tfjs-text', task: 'binary', target: { classes: ['ham', 'spam'] } });
  expect(m.testRows).toBe(1114);
  expect(spam.support).toBe(149); // stratified: 13.4 % of the test rows
  expect(m.accuracy).toBeGreaterThanOrEqual(0.98);
  expect(spam.f1).toBeGreaterThanOrEqual(0.92);
  const tokenizer = v.features[0];
  expect(tokenizer).toMatchObject({ name: 'message', type: 'text' });
  expect(tokenizer.inputs).toHaveLength(64);
  expect(tokenizer.steps).toEqual(['token_sequence']);
  // The tokenizer is stored with the version: its vocabulary (training split only) and length.
  const step = v.preprocessing.columns[0].steps[0];
  expect(step).toMatchObject({ op: 'token_sequence', sequenceLength: 64 });
  expect(step.vocabulary).toHaveLength(5000);
  expect(step.vocabulary.slice(0, 3)).toEqual(['i', 'to', 'you']);

  const rows = [{ message: 'WINNER!! You have won a £1000 cash prize. Call 09061701461 now to claim, T&C apply' }, { message: 'Ok, see you at lunch tomorrow?' }];
  const p = (await gqlOk(t, PREDICT, { model: 'sms', rows })).predict.predictions;
  expect(p.map((x: { label: string }) => x.label)).toEqual(['spam', 'ham']);
  // The probability of the predicted label.
  expect(p[0].probability).toBeGreaterThan(0.9);
  expect(p[1].probability).toBeGreaterThan(0.9);
});

it('explains a message token by token (leave-one-out, in log-odds)', async () => {
  const q = `query($rows: [JSONObject!]!) { explain(model: "sms", rows: $rows) { evaluations explanations {
    prediction { label } explainedClass attributions { feature attribution } tokens { column unit truncated tokens { token position known attribution } } } } }`;
  const text = 'URGENT! You have won a FREE prize, call 09061701461 now. Zyxwv see you later';
  const r = (await gqlOk(t, q, { rows: [{ message: text }] })).explain;
  expect(r.evaluations).toBe(2 + 65); // exact Shapley over 1 column, plus sequenceLength + 1
  const e = r.explanations[0];
  expect(e).toMatchObject({ prediction: { label: 'spam' }, explainedClass: 'spam', tokens: { column: 'message', unit: 'log-odds', truncated: 0 } });
  const tokens = e.tokens.tokens as { token: string; position: number; known: boolean; attribution: number }[];
  expect(tokens.map((x) => x.token)).toEqual(['urgent', 'you', 'have', 'won', 'a', 'free', 'prize', 'call', '09061701461', 'now', 'zyxwv', 'see', 'you', 'later']);
  expect(tokens.find((x) => x.token === 'zyxwv')!.known).toBe(false);
  const top = [...tokens]
    .sort((a, b) => b.attribution - a.attribution)
    .slice(0, 4)
    .map((x) => x.token);
  console.log('SMS spam tokens by attribution:', tokens.map((x) => `${x.token} ${x.attribution.toFixed(2)}`).join(', '));
  // Spam words push towards spam; the friendly ending pulls away from it.
  expect(top.some((w) => ['urgent', 'won', 'free', 'prize', 'call'].includes(w))).toBe(true);
  expect(tokens.find((x) => x.token === 'later')!.attribution).toBeLessThan(tokens.find((x) => x.token === 'prize')!.attribution);
});

it('scores the whole dataset in a batch prediction', async () => {
  const started = (await gqlOk(t, 'mutation($d: ID!) { startBatchPrediction(model: "sms", datasetId: $d) { id rowCount } }', { d: datasetId })).startBatchPrediction;
  expect(started.rowCount).toBe(5574);
  const client = wsClient(t.wsUrl, t.token);
  const events = await collect<{ batchPredictionProgress: { status: string } }>(client, 'subscription($id: ID!) { batchPredictionProgress(id: $id) { status } }', {
    id: started.id,
  }).done;
  await client.dispose();
  expect(events[events.length - 1].data!.batchPredictionProgress.status).toBe('SUCCEEDED');
  const res = await fetch(t.url.replace('/graphql', '') + `/batch-predictions/${started.id}.csv`, { headers: { authorization: `Bearer ${t.token}` } });
  const lines = (await res.text()).trim().split('\n');
  expect(lines).toHaveLength(5575);
  expect(lines[0]).toBe('"label","message","predicted_label","predicted_probability"');
  // Training rows included, so nearly every label is right.
  const right = lines.slice(1).filter((l) => l.split(',')[0] === l.split(',').at(-2)).length;
  expect(right / 5574).toBeGreaterThan(0.98);
});
