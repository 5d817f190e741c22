/**
 * The web console in a real browser (Chromium through playwright-core), beyond the main job
 * (test/browser/console.spec.ts): a regressor's predicted-against-actual and residual plots with
 * their numbers, deleting a dataset and a model behind a confirmation dialog (the server's coded refusal shown next to the button; then the
 * forced delete — archive, or with the aliases — behind a second dialog that says what else goes
 * and waits for a tick), the archived dataset restored from the archived datasets page, paging past
 * the first 50 datasets with "More", and the training form starting a tree model (its range errors
 * beside the tree fields; the forest's run page showing its final metrics, not epoch charts).
 * Versions are trained through the API (a decision tree: instant). axe-core finds no serious
 * violation, the open dialog included. Screenshots: test-artifacts/screenshots/console-manage-*.png.
 */
import type { Locator } from 'playwright-core';
import type { App } from '../../src/app';
import { gqlOk } from '../../src/client/graphql-client';
import { screenshotPath, waitForText } from '../support/browser';
import { consoleBrowser, expectAccessible } from '../support/console-browser';
import { PIMA_CSV } from '../support/data';
import { createTenant, uploadCsv } from '../support/factories';
import { trainVersion } from '../support/training';

const harness = consoleBrowser();
const { signedIn } = harness;
let app: App;
beforeAll(() => (app = harness.app()));

/** The numbers of table rows, cell by cell. */
const numbers = (rows: Locator) => rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent))));

it("plots a regressor's predictions against the actual values and its residuals, with the numbers", async () => {
  const t = await createTenant(app, 'console-regression');
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  const v = await trainVersion(t, { datasetId, targetColumn: 'BMI', modelName: 'pima-bmi', spec: { model: 'DECISION_TREE', tree: { maxDepth: 4 }, seed: 42 } });
  expect(v.task).toBe('regression');
  const { modelVersion } = await gqlOk(t, 'query($id: ID!) { modelVersion(id: $id) { metrics { testRows testPredictions { actual predicted } } } }', { id: v.id });
  const sample: { actual: number; predicted: number }[] = modelVersion.metrics.testPredictions;
  expect(sample).toHaveLength(Math.min(200, modelVersion.metrics.testRows));

  const page = await signedIn(t, `#/versions/${v.id}`);
  await waitForText(page, 'h1', ['pima-bmi v1']);
  const fit = page.locator('figure.chart', { hasText: 'Predicted against actual BMI' });
  const residuals = page.locator('figure.chart', { hasText: 'Residuals (actual − predicted)' });
  await fit.locator('canvas').first().waitFor();
  await residuals.locator('canvas').first().waitFor();
  expect(await fit.locator('[role="img"]').getAttribute('aria-label')).toBe(`Predicted against actual BMI: ${sample.length} test rows; on the dashed line when exact`);
  await fit.getByText(`Show the numbers (${sample.length} points)`).click();
  const rows = await numbers(fit.locator('details tbody tr'));
  expect(rows).toHaveLength(sample.length);
  // Sorted by the actual value; each residual is actual − predicted (4 significant digits shown).
  const sorted = [...sample].sort((a, b) => a.actual - b.actual);
  rows.forEach(([actual, predicted, residual], i) => {
    expect(actual).toBeCloseTo(sorted[i].actual, 1);
    expect(predicted).toBeCloseTo(sorted[i].predicted, 1);
    expect(residual).toBeCloseTo(sorted[i].actual - sorted[i].predicted, 1);
  });
  await page.screenshot({ path: screenshotPath('console-manage-regression'), fullPage: true });
  await expectAccessible(page, 'regression version');
}, 180_000);

it('deletes a model and a dataset after confirming, showing the refusal while a version uses the dataset', async () => {
  const t = await createTenant(app, 'console-delete');
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'pima-tree', spec: { model: 'DECISION_TREE', tree: { maxDepth: 3 }, seed: 42 } });

  // The dataset trained a version: the server refuses, and says so next to the button.
  const page = await signedIn(t, `#/datasets/${datasetId}`);
  await waitForText(page, 'h1', ['Dataset pima']);
  const dialog = page.getByRole('dialog', { name: 'Delete dataset pima?' });
  // Under CI load the first click can land before the page's handler is attached (seen once): click until the dialog opens.
  for (let i = 0; i < 5 && !(await dialog.isVisible()); i++) {
    await page.getByRole('button', { name: 'Delete dataset pima' }).click();
    await dialog.waitFor({ timeout: 10_000 }).catch(() => undefined);
  }
  await dialog.waitFor();
  await waitForText(page, 'dialog[open]', ['Its rows and its training runs are deleted. This cannot be undone.']);
  await expectAccessible(page, 'delete dialog');
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await waitForText(page, '.delete [role="alert"]', ['DATASET_IN_USE', 'pima-tree']);
  expect(await dialog.isVisible()).toBe(false);
  await page.screenshot({ path: screenshotPath('console-manage-refused'), fullPage: true });

  // The model: Cancel keeps it, Delete removes it.
  await page.goto(new URL('/console#/models', app.server.url).href);
  await waitForText(page, 'main', ['pima-tree v1']);
  await page.getByRole('button', { name: 'Delete model pima-tree' }).click();
  await page.getByRole('dialog', { name: 'Delete model pima-tree?' }).getByRole('button', { name: 'Cancel' }).click();
  expect(await page.getByRole('dialog').count()).toBe(0);
  expect((await gqlOk(t, '{ modelsConnection(first: 5) { totalCount } }')).modelsConnection.totalCount).toBe(1);
  await page.getByRole('button', { name: 'Delete model pima-tree' }).click();
  await waitForText(page, 'dialog[open]', ['Its 1 version and their artifacts are deleted (training runs stay). This cannot be undone.']);
  await page.getByRole('dialog', { name: 'Delete model pima-tree?' }).getByRole('button', { name: 'Delete', exact: true }).click();
  await waitForText(page, 'main', ['No models yet']);
  expect((await gqlOk(t, '{ modelsConnection(first: 5) { totalCount } }')).modelsConnection.totalCount).toBe(0);

  // Now nothing uses the dataset: it goes, and the list opens without it.
  await page.goto(new URL(`/console#/datasets/${datasetId}`, app.server.url).href);
  await page.getByRole('button', { name: 'Delete dataset pima' }).click();
  await page.getByRole('dialog', { name: 'Delete dataset pima?' }).getByRole('button', { name: 'Delete', exact: true }).click();
  await waitForText(page, 'main', ['Your datasets', 'No datasets yet']);
  expect(page.url()).toMatch(/#\/datasets$/);
  expect((await gqlOk(t, '{ datasetsConnection(first: 5) { totalCount } }')).datasetsConnection.totalCount).toBe(0);
}, 180_000);

it('pages past the first 50 datasets with "More"', async () => {
  const t = await createTenant(app, 'console-pages');
  for (let i = 1; i <= 52; i++) await uploadCsv(t, 'x,y\n1,2\n3,4\n', `d${String(i).padStart(2, '0')}`);
  const page = await signedIn(t, '#/datasets');
  await waitForText(page, '.more', ['Showing 50 of 52.']);
  const names = () => page.locator('main table tbody tr td:first-child').allTextContents();
  expect((await names())[0]).toBe('d52'); // newest first
  expect(await names()).toHaveLength(50);
  await expectAccessible(page, 'datasets, first page');
  await page.getByRole('button', { name: 'More' }).click();
  await waitForText(page, '.more', ['Showing 52 of 52.']);
  expect((await names()).slice(-3)).toEqual(['d03', 'd02', 'd01']);
  expect(new Set(await names()).size).toBe(52);
  expect(await page.getByRole('button', { name: 'More' }).count()).toBe(0);
}, 180_000);

it('offers the forced delete after a coded refusal, behind a second dialog that says what else goes and a tick', async () => {
  const t = await createTenant(app, 'console-force');
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'pima-forced', spec: { model: 'DECISION_TREE', tree: { maxDepth: 3 }, seed: 42 } });
  await gqlOk(t, 'mutation { setModelAlias(model: "pima-forced", alias: "production", version: 1) { name } }');

  // The model: refused (MODEL_IN_USE), then deleted with its alias after the second confirmation.
  const page = await signedIn(t, '#/models');
  await waitForText(page, 'main', ['pima-forced v1']);
  expect(await page.getByRole('button', { name: 'Delete model pima-forced and its aliases anyway…' }).count()).toBe(0);
  await page.getByRole('button', { name: 'Delete model pima-forced' }).click();
  await page.getByRole('dialog', { name: 'Delete model pima-forced?' }).getByRole('button', { name: 'Delete', exact: true }).click();
  await waitForText(page, '.delete [role="alert"]', ['MODEL_IN_USE', 'production → 1']);
  await page.getByRole('button', { name: 'Delete model pima-forced and its aliases anyway…' }).click();
  const forced = page.getByRole('dialog', { name: 'Delete model pima-forced and its aliases anyway?' });
  await forced.waitFor();
  await waitForText(page, 'dialog[open]', ['The aliases production → v1 are deleted too']);
  const confirm = forced.getByRole('button', { name: 'Delete with aliases', exact: true });
  expect(await confirm.isDisabled()).toBe(true); // not before the explicit tick
  await expectAccessible(page, 'forced delete dialog');
  await page.screenshot({ path: screenshotPath('console-manage-force'), fullPage: true });
  await forced.getByRole('checkbox', { name: 'Yes, delete the model and the aliases pointing at it' }).check();
  await confirm.click();
  await waitForText(page, 'main', ['No models yet']);
  expect((await gqlOk(t, '{ modelsConnection(first: 5) { totalCount } }')).modelsConnection.totalCount).toBe(0);

  // The dataset: a version of another model trained on it, so it is refused (DATASET_IN_USE), then archived.
  await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'pima-kept', spec: { model: 'DECISION_TREE', tree: { maxDepth: 2 }, seed: 42 } });
  await page.goto(new URL(`/console#/datasets/${datasetId}`, app.server.url).href);
  await waitForText(page, 'h1', ['Dataset pima']);
  await page.getByRole('button', { name: 'Delete dataset pima' }).click();
  await page.getByRole('dialog', { name: 'Delete dataset pima?' }).getByRole('button', { name: 'Delete', exact: true }).click();
  await waitForText(page, '.delete [role="alert"]', ['DATASET_IN_USE', 'pima-kept']);
  await page.getByRole('button', { name: 'Archive dataset pima anyway…' }).click();
  const archive = page.getByRole('dialog', { name: 'Archive dataset pima anyway?' });
  await waitForText(page, 'dialog[open]', ['1 model version trained on it stays (pima-kept v1)', 'Restore, on the archived datasets page, brings it back']);
  // Cancel first: nothing happens.
  await archive.getByRole('button', { name: 'Cancel' }).click();
  expect((await gqlOk(t, '{ datasetsConnection(first: 5) { totalCount } }')).datasetsConnection.totalCount).toBe(1);
  await page.getByRole('button', { name: 'Archive dataset pima anyway…' }).click();
  await archive.getByRole('checkbox', { name: 'Yes, archive it although model versions use it' }).check();
  await archive.getByRole('button', { name: 'Archive', exact: true }).click();
  await waitForText(page, 'main', ['Your datasets', 'No datasets yet']);
  const after = await gqlOk(t, '{ datasetsConnection(first: 5) { totalCount } archivedDatasetsConnection(first: 5) { edges { node { dataset { id name } } } } }');
  expect(after.datasetsConnection.totalCount).toBe(0);
  expect(after.archivedDatasetsConnection.edges).toEqual([{ node: { dataset: { id: datasetId, name: 'pima' } } }]);

  // The archived datasets page lists it with Restore, which brings it back (same id) and opens it.
  await page.getByRole('link', { name: 'Archived datasets' }).click();
  await waitForText(page, 'main table', ['pima', '768', 'after ']);
  await waitForText(page, '.more', ['Showing 1 of 1.']);
  await expectAccessible(page, 'archived datasets');
  await page.getByRole('button', { name: 'Restore pima' }).click();
  await waitForText(page, 'h1', ['Dataset pima']);
  expect(decodeURIComponent(page.url().split('/').pop()!)).toBe(datasetId);
  const restored = await gqlOk(t, '{ datasetsConnection(first: 5) { totalCount } archivedDatasetsConnection(first: 5) { totalCount } }');
  expect([restored.datasetsConnection.totalCount, restored.archivedDatasetsConnection.totalCount]).toEqual([1, 0]);
}, 180_000);

it("puts the training form's preprocessing into the run's spec: missing-value codes, standardising, the target's rows", async () => {
  const t = await createTenant(app, 'console-preprocessing');
  await uploadCsv(t, PIMA_CSV, 'pima');
  const page = await signedIn(t, '#/train');
  const field = (id: string) => page.locator(`[id="${id}"]`);
  await field('targetColumn').waitFor();
  expect(await field('spec.standardize').isChecked()).toBe(true);
  expect(await field('spec.preprocessing.dropMissingTarget').isChecked()).toBe(true);
  await field('spec.layers[0].inputDim').fill('8');
  await field('spec.epochs').fill('1');
  await field('spec.standardize').uncheck();
  await field('spec.preprocessing.missingValues').fill(' ?, NA ,, 0 ');
  await expectAccessible(page, 'training form with preprocessing');
  await page.screenshot({ path: screenshotPath('console-train-preprocessing'), fullPage: true });
  await page.getByRole('button', { name: 'Start training' }).click();
  await page.waitForURL(/#\/runs\//);
  const runId = decodeURIComponent(page.url().split('/').pop()!);
  const { trainingRun } = await gqlOk(t, 'query($id: ID!) { trainingRun(id: $id) { spec } }', { id: runId });
  expect(trainingRun.spec.standardize).toBe(false);
  expect(trainingRun.spec.preprocessing).toMatchObject({ dropMissingTarget: true, standardizeTarget: false, missingValues: [{ values: ['?', 'NA', '0'] }] });
});

it('starts a tree model from the training form, with the server’s range errors beside the tree fields', async () => {
  const t = await createTenant(app, 'console-trees');
  await uploadCsv(t, PIMA_CSV, 'pima');
  const page = await signedIn(t, '#/train');
  const field = (id: string) => page.locator(`[id="${id}"]`);
  await field('targetColumn').waitFor();
  expect(await field('spec.model').inputValue()).toBe('NEURAL_NETWORK');

  // Boosting: its learning rate out of range is refused, beside that field; network fields are gone.
  await field('spec.model').selectOption('GRADIENT_BOOSTING');
  expect(await field('modelName').inputValue()).toBe('pima-boosting');
  expect(await field('spec.layers[0].units').count()).toBe(0);
  expect(await field('spec.epochs').count()).toBe(0);
  expect(await field('spec.standardize').isChecked()).toBe(false); // the server's default for trees
  await field('spec.tree.learningRate').fill('2');
  await page.getByRole('button', { name: 'Start training' }).click();
  await waitForText(page, '[id="spec.tree.learningRate-error"]', ['spec.tree.learningRate must be a number in [', 'got 2']);
  expect(await field('spec.tree.learningRate').getAttribute('aria-invalid')).toBe('true');

  // A random forest: no learning rate or validation split; 0 trees refused, then 5 trees of depth 3 train.
  await field('spec.model').selectOption('RANDOM_FOREST');
  expect(await field('spec.tree.learningRate').count()).toBe(0);
  expect(await field('spec.validationSplit').count()).toBe(0);
  await field('spec.tree.maxDepth').fill('3');
  await field('spec.tree.nEstimators').fill('0');
  await page.getByRole('button', { name: 'Start training' }).click();
  await waitForText(page, '[id="spec.tree.nEstimators-error"]', ['spec.tree.nEstimators must be an integer in [1,', 'got 0']);
  expect(await page.locator('[id="spec.tree.learningRate-error"]').count()).toBe(0);
  await expectAccessible(page, 'training form, tree options with an error');
  await page.screenshot({ path: screenshotPath('console-train-tree'), fullPage: true });
  await field('spec.tree.nEstimators').fill('5');
  await page.getByRole('button', { name: 'Start training' }).click();
  await waitForText(page, 'h1', ['Run of pima-forest']);
  await waitForText(page, '.status', ['SUCCEEDED'], 120_000);
  await page.getByRole('link', { name: 'pima-forest v1' }).waitFor();
  const runId = decodeURIComponent(page.url().split('/').pop()!);
  const { trainingRun } = await gqlOk(
    t,
    'query($id: ID!) { trainingRun(id: $id) { spec metrics { loss accuracy } modelVersion { framework metrics { task testRows accuracy } } } }',
    {
      id: runId,
    },
  );
  expect(trainingRun.spec).toMatchObject({ model: 'random_forest', standardize: false, tree: { nEstimators: 5, maxDepth: 3 } });
  expect(trainingRun.spec.layers).toEqual([]);
  expect(trainingRun.modelVersion.metrics).toMatchObject({ task: 'binary', testRows: 154 });
  // A forest is fitted in one pass: its final metrics, not one-point "by epoch" charts or "1 of 1 epochs".
  const final = page.locator('section[aria-labelledby="final-metrics"]');
  await waitForText(page, 'section[aria-labelledby="final-metrics"]', ['Final metrics', 'training log loss', 'training accuracy', 'test rows154', 'test accuracy']);
  const shown = Object.fromEntries(
    await final.locator('tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')!.textContent, Number(tr.querySelector('td')!.textContent)])),
  );
  const [epoch] = trainingRun.metrics;
  const four = (n: number) => Number(n.toPrecision(4));
  expect(shown).toMatchObject({
    'training log loss': four(epoch.loss),
    'training accuracy': four(epoch.accuracy),
    'test accuracy': four(trainingRun.modelVersion.metrics.accuracy),
  });
  expect(await page.locator('figure.chart').count()).toBe(0);
  expect(await page.locator('main').textContent()).not.toMatch(/epoch/i);
  await expectAccessible(page, 'forest run');
}, 180_000);
