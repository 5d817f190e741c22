/**
 * The web console in a real browser (Chromium through playwright-core), the main job end to end:
 * from the explorer's link, sign in with an API key, upload the Pima CSV through the file input,
 * see its profile (in a focusable scroll box at phone width, no serious axe violation at 1280 or
 * 390 px) and correlation heat map, get the server's validation errors next to their fields, start
 * the reference run (Dense(10, relu, inputDim 8) → Dense(1, sigmoid), binary cross-entropy, adam,
 * 10 epochs, batch 32), watch its curve grow to 10 points from the subscription (opened again, the
 * page reads them with metricHistory and the subscription replays none), see it in the runs and
 * models lists, open the version, see the confusion matrix and the ROC curve with its numbers, and
 * predict a row with its explanation; then the same version page at phone width. Every request
 * stays on this server (any other host is blocked and recorded), the key appears in no URL and not
 * in localStorage, and axe-core finds no serious violation on each page. Then a long run: opened
 * mid-run, its curves come from metricHistory and the subscription sends only later epochs;
 * cancelled, the history is read again; its key revoked (the socket closed with 4401) or a revoked
 * key's next query (UNAUTHENTICATED), the console returns to sign-in saying why, keeping the route.
 * Screenshots: test-artifacts/screenshots/console-*.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../src/app';
import { startTestApp } from '../support/app';
import { launchBrowser, onlyOrigin, recordSockets, screenshotPath, seriousAxeViolations, waitForText } from '../support/browser';
import { PIMA_CSV, SLOW_NETWORK } from '../support/data';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';
import { startRun } from '../support/training';
import { gqlOk } from '../../src/client/graphql-client';

let app: App;
let t: TenantBundle;
let browser: Browser;
let csvFile: string;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'console');
  csvFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'console-spec-')), 'pima.csv');
  fs.writeFileSync(csvFile, PIMA_CSV);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (csvFile) fs.rmSync(path.dirname(csvFile), { recursive: true, force: true });
});

/** Expects axe-core to find no serious or critical violation on `page` (named `where` in the failure). */
async function expectAccessible(page: Page, where: string) {
  expect({ where, violations: await seriousAxeViolations(page) }).toEqual({ where, violations: [] });
}

it('does the main job without GraphQL: upload, train live, inspect the version, predict and explain', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Generous: a loaded 2-core machine trains and renders slowly; waits are for visible text.
  context.setDefaultTimeout(90_000);
  const origin = new URL(app.server.url).origin;
  const { foreign, requested } = await onlyOrigin(context, origin);
  const page = await context.newPage();
  const { sockets, frames } = recordSockets(page);

  // The explorer links to the console.
  await page.goto(app.server.url);
  await page.getByRole('link', { name: 'Open the console' }).click();
  await page.locator('#api-key').fill(t.apiKey);
  await expectAccessible(page, 'sign-in');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await waitForText(page, 'header', [t.name, 'Datasets', 'Sign out']);

  // Upload through the file input; the profile opens.
  await page.locator('#upload-file').setInputFiles(csvFile);
  expect(await page.locator('#upload-name').inputValue()).toBe('pima');
  await expectAccessible(page, 'datasets');
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await waitForText(page, 'h1', ['Dataset pima']);
  await waitForText(page, 'main', ['768 rows, 9 columns']);
  await waitForText(page, 'table.profile', ['Glucose', 'BMI', 'Outcome']);
  expect(await page.locator('table.profile svg.histogram').count()).toBe(9);
  // The correlations as a heat map, r printed in each cell: 9 numeric columns, 1 on the diagonal,
  // Glucose with Outcome as the API's Dataset.correlations answers it.
  const heat = page.locator('figure.correlations');
  await waitForText(page, 'figure.correlations', ["Correlations (Pearson's r)", 'Glucose', 'Outcome']);
  expect(await heat.locator('tbody tr').count()).toBe(9);
  expect(await heat.locator('tbody td').count()).toBe(81);
  const cell = (row: string, col: number) => heat.locator(`tbody tr:has(th:text-is("${row}")) td`).nth(col);
  expect(await cell('Glucose', 1).textContent()).toBe('1.00');
  const datasetId = decodeURIComponent(page.url().split('/').pop()!);
  const { dataset } = await gqlOk(t, 'query($id: ID!) { dataset(id: $id) { correlations(target: "Outcome") { column pearson } } }', { id: datasetId });
  const glucose = dataset.correlations.find((c: { column: string }) => c.column === 'Glucose').pearson;
  expect(glucose).toBeCloseTo(0.4666, 3); // Pima: pandas' df.corr()
  expect(await cell('Glucose', 8).textContent()).toBe(glucose.toFixed(2));
  await expectAccessible(page, 'dataset profile');
  // The correlations box says "scroll sideways" exactly when its table is wider than it, at any width.
  const hintFollowsOverflow = async () => {
    const overflows = await heat.locator('.scroll').evaluate((el) => el.scrollWidth > el.clientWidth + 1);
    expect([overflows, await heat.locator('.scroll-hint').count()]).toEqual([overflows, overflows ? 1 : 0]);
    return overflows;
  };
  await hintFollowsOverflow();
  // At phone width the profile scrolls in its own focusable, labelled box, and axe still finds nothing serious.
  await page.setViewportSize({ width: 390, height: 844 });
  const profile = page.locator('#main > .scroll', { has: page.locator('table.profile') });
  expect([await profile.getAttribute('tabindex'), await profile.getAttribute('role'), await profile.getAttribute('aria-label')]).toEqual(['0', 'region', 'Profile table']);
  await waitForText(page, 'figure.correlations', ['Scroll sideways for more columns']);
  expect(await hintFollowsOverflow()).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectAccessible(page, 'dataset profile at 390 px');
  await page.setViewportSize({ width: 1280, height: 800 });
  // The header links to the explorer this server serves (GRAPHQL_EXPLORER: graphiql here).
  expect(await page.getByRole('link', { name: 'GraphQL explorer' }).getAttribute('href')).toBe('/graphql');

  // The training form: the server's validation error appears next to its field.
  await page.getByRole('link', { name: 'Train a model on it' }).click();
  const field = (id: string) => page.locator(`[id="${id}"]`);
  await field('targetColumn').waitFor();
  expect(await field('targetColumn').inputValue()).toBe('Outcome');
  await field('spec.layers[0].inputDim').fill('8');
  // A value GraphQL cannot coerce, then one the spec's check refuses: each error beside its field.
  await field('spec.batchSize').fill('thirty');
  await page.getByRole('button', { name: 'Start training' }).click();
  await waitForText(page, '[id="spec.batchSize-error"]', ['thirty']);
  expect(await field('spec.batchSize').getAttribute('aria-invalid')).toBe('true');
  await field('spec.batchSize').fill('32');
  await field('spec.epochs').fill('0');
  await page.getByRole('button', { name: 'Start training' }).click();
  await waitForText(page, '[id="spec.epochs-error"]', ['spec.epochs must be an integer in [1,', 'got 0']);
  expect(await page.locator('[id="spec.batchSize-error"]').count()).toBe(0);
  expect(await field('spec.epochs').getAttribute('aria-invalid')).toBe('true');
  expect(await field('spec.epochs').getAttribute('aria-describedby')).toBe('spec.epochs-error');
  await expectAccessible(page, 'training form with an error');

  // The reference run; its curve grows from the subscription.
  await field('spec.epochs').fill('10');
  await page.getByRole('button', { name: 'Start training' }).click();
  await waitForText(page, 'h1', ['Run of pima-dense']);
  await waitForText(page, '.epochs', ['10 of 10 epochs'], 180_000);
  await page.locator('figure.chart[data-points="10"]').first().waitFor();
  const versionLink = page.getByRole('link', { name: 'pima-dense v1' });
  await versionLink.waitFor();
  await waitForText(page, '.status', ['SUCCEEDED']);
  // Train and validation loss: 10 rows of numbers one click away.
  await page.getByText('Show the numbers (10 epochs)').first().click();
  expect(await page.locator('figure.chart details').first().locator('tbody tr').count()).toBe(10);
  await waitForText(page, 'figure.chart details thead', ['train loss', 'validation loss']);
  await page.screenshot({ path: screenshotPath('console-run'), fullPage: true });
  await expectAccessible(page, 'run');
  // The points came over graphql-ws: the epochs, then FINAL.
  expect(new Set(sockets)).toEqual(new Set([app.server.wsUrl.replace('localhost', '127.0.0.1')]));
  expect(frames.filter((f) => f.includes('"EPOCH"')).length).toBe(10);
  expect(frames.some((f) => f.includes('"FINAL"'))).toBe(true);
  // Opened again, the page reads the 10 epochs with metricHistory and the subscription replays none.
  const socket = page.waitForEvent('websocket');
  const history = page.waitForResponse((r) => !!r.request().postData()?.includes('query ConsoleRun('));
  await page.reload();
  await (await socket).waitForEvent('framereceived', { predicate: (f) => String(f.payload).includes('"FINAL"') });
  const stored = (await (await history).json()).data.metricHistory;
  expect(stored.map((c: { key: string; totalPoints: number }) => [c.key, c.totalPoints])).toEqual([
    ['loss', 10],
    ['valLoss', 10],
    ['accuracy', 10],
    ['valAccuracy', 10],
  ]);
  await waitForText(page, '.epochs', ['10 of 10 epochs']);
  await page.locator('figure.chart[data-points="10"]').first().waitFor();
  expect(frames.filter((f) => f.includes('"EPOCH"')).length).toBe(10);
  expect(frames.filter((f) => f.includes('"FINAL"')).length).toBe(2);

  // The runs list and the models list (through the navigation), then the version from the models list.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Runs' }).click();
  await waitForText(page, 'main table', ['pima-dense', 'pima', 'SUCCEEDED', 'v1']);
  await expectAccessible(page, 'runs');
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Models' }).click();
  await waitForText(page, 'main', ['pima-dense', 'pima-dense v1', 'NONE', 'accuracy']);
  await expectAccessible(page, 'models');

  // The version: test metrics and the confusion matrix, whose counts add up to the test rows.
  await versionLink.click();
  await waitForText(page, 'h1', ['pima-dense v1']);
  await waitForText(page, 'figure.heatmap', ['Confusion matrix', 'actual \\ predicted']);
  const testRows = Number(await page.locator('th:text-is("test rows") + td').textContent());
  expect(testRows).toBeGreaterThan(100);
  // A 2×2 matrix fits: its box says nothing about scrolling.
  expect(await page.locator('figure.heatmap .scroll').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  expect(await page.locator('figure.heatmap .scroll-hint').count()).toBe(0);
  const cells = (await page.locator('figure.heatmap tbody td').allTextContents()).map(Number);
  expect(cells).toHaveLength(4);
  expect(cells.reduce((a, b) => a + b, 0)).toBe(testRows);
  // The ROC curve, its numbers one click away: from (0, 0) to (1, 1), enclosing the test ROC AUC.
  const roc = page.locator('figure.chart', { hasText: 'ROC curve (test split)' });
  await roc.locator('canvas').first().waitFor();
  expect(await roc.locator('[role="img"]').getAttribute('aria-label')).toMatch(/^ROC curve \(test split\): \d+ points from \(0, 0\) to \(1, 1\), area 0\.\d+$/);
  await roc.getByText(/^Show the numbers \(\d+ points\)$/).click();
  await waitForText(page, 'figure.chart.xy thead', ['Threshold', 'False positive rate', 'True positive rate']);
  const rocRows = await roc.locator('details tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent))));
  expect(rocRows.length).toBeGreaterThan(10);
  expect(rocRows.length).toBeLessThanOrEqual(101);
  expect(rocRows[0]).toEqual([1, 0, 0]);
  expect(rocRows[rocRows.length - 1].slice(1)).toEqual([1, 1]);
  const rocArea = rocRows.slice(1).reduce((a, [, fpr, tpr], i) => a + ((fpr - rocRows[i][1]) * (tpr + rocRows[i][2])) / 2, 0);
  const rocAuc = Number(await page.locator('th:text-is("rocAuc") + td').textContent());
  expect(Math.abs(rocArea - rocAuc)).toBeLessThan(0.02); // thinned to ≤ 101 points, 4 significant digits
  await roc.locator('summary').click(); // closed again, for the screenshot (docs/console-version.png)

  // Predict a row (prefilled with the training means) and see its explanation.
  await page.getByRole('button', { name: 'Predict and explain' }).click();
  await waitForText(page, '.prediction', ['Prediction:', 'probability']);
  const attributions = 'figure.bars:has(> ul[aria-label="Attributions"])';
  await waitForText(page, attributions, ['Attributions', 'Glucose']);
  expect(await page.locator(`${attributions} li`).count()).toBe(8);
  // The network's importances, by permutation on the held-out rows: one bar per input.
  const importances = page.locator('figure.bars', { has: page.locator('figcaption', { hasText: 'Feature importance (permutation' }) });
  expect(await importances.locator('li').count()).toBe(8);
  await page.screenshot({ path: screenshotPath('console-version'), fullPage: true });
  await expectAccessible(page, 'version');

  // Phone width: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await waitForText(page, '.prediction', ['Prediction:']);
  // The charts redraw at the new width on the resize event (a frame or more later on a loaded machine).
  await page.waitForFunction(() => document.documentElement.scrollWidth <= 390, null, { polling: 100, timeout: 5_000 }).catch(() => undefined);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: screenshotPath('console-version-phone'), fullPage: true });

  expect(foreign).toEqual([]);
  for (const url of [page.url(), ...requested, ...sockets]) expect(url).not.toContain(t.apiKey);
  expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(t.apiKey);
  expect(await page.evaluate(() => JSON.stringify(sessionStorage))).toContain(t.apiKey);
  await context.close();
}, 600_000);

it("follows a long run from metricHistory, reads it again when cancelled, and returns to sign-in when the page's key is revoked", async () => {
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima-long');
  // Training scopes only: the run's dataset and version (datasets:read, models:read) come back
  // FORBIDDEN, and the page shows the rest.
  const watcher = (await gqlOk(t, 'mutation { createApiKey(input: { name: "console-watcher", scopes: [TRAINING_READ, TRAINING_RUN] }) { key apiKey { id } } }')).createApiKey;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(90_000);
  const page = await context.newPage();
  const { frames } = recordSockets(page);
  await page.goto(new URL('/console', app.server.url).href);
  await page.locator('#api-key').fill(watcher.key);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await waitForText(page, 'header', [t.name, 'Sign out']);
  /** The epochs the page says it has, from "N of 1000 epochs". */
  const shownEpochs = async () => Number((await page.locator('.epochs').textContent())!.match(/(\d+) of 1000 epochs/)![1]);
  /** Waits until the page shows more than `n` epochs. */
  const moreThan = (n: number) =>
    page
      .waitForFunction((k) => Number(document.querySelector('.epochs')?.textContent?.match(/(\d+) of/)?.[1]) > k, n, { polling: 100 })
      .catch(async (error) => {
        throw new Error(`the page never showed more than ${n} epochs; it shows: ${await page.locator('main').textContent()}`, { cause: error });
      });

  // Opened mid-run, the page reads the stored epochs with metricHistory (about one point per chart
  // pixel) and the subscription sends only the later ones.
  const first = await startRun(t, datasetId, 'pima-long', { ...SLOW_NETWORK, epochs: 1000 });
  await page.goto(new URL(`/console#/runs/${first.id}`, app.server.url).href);
  await moreThan(2);
  const history = page.waitForResponse((r) => !!r.request().postData()?.includes('query ConsoleRun('));
  await page.reload();
  const answer = await history;
  const read = (await answer.json()).data.metricHistory.find((c: { key: string }) => c.key === 'loss');
  const samples = JSON.parse(answer.request().postData()!).variables.samples;
  expect(samples).toBeGreaterThanOrEqual(260);
  expect(samples).toBeLessThanOrEqual(900);
  const last = read.points.at(-1).epoch;
  expect([read.totalPoints, read.points.length]).toEqual([last, Math.min(last, samples)]);
  await moreThan(last);
  const epochsAfterReload = frames
    .slice(frames.findLastIndex((f) => f.includes('"connection_ack"')))
    .flatMap((f) => (f.includes('"EPOCH"') ? [JSON.parse(f).payload.data.trainingProgress.epoch] : []));
  expect(epochsAfterReload.length).toBeGreaterThan(0);
  expect(Math.min(...epochsAfterReload)).toBe(last + 1);

  // Cancelled: the final state is the history read again (an epoch stored as the run stopped arrives after FINAL).
  const reread = page.waitForResponse((r) => !!r.request().postData()?.includes('query ConsoleRunHistory('));
  await page.getByRole('button', { name: 'Cancel run' }).click();
  await waitForText(page, '.status', ['CANCELLED']);
  const final = (await (await reread).json()).data.metricHistory.find((c: { key: string }) => c.key === 'loss');
  await waitForText(page, '.epochs', [`${final.points.at(-1).epoch} of 1000 epochs`]);
  expect(await shownEpochs()).toBe(final.totalPoints);
  await page.locator(`figure.chart[data-points="${final.points.length}"]`).first().waitFor();

  // The key is revoked while a run page is open: the server closes the socket (4401, "API key
  // revoked") or, if the page's next HTTP request comes first, answers it UNAUTHENTICATED ("the API
  // key has been revoked"); either way the console says so on the sign-in page, keeping the route.
  const second = await startRun(t, datasetId, 'pima-long', { ...SLOW_NETWORK, epochs: 1000 });
  await page.goto(new URL(`/console#/runs/${second.id}`, app.server.url).href);
  await moreThan(0);
  await gqlOk(t, 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: watcher.apiKey.id });
  await waitForText(page, '.signed-out[role="alert"]', ['Signed out: UNAUTHENTICATED', 'revoked']);
  expect(page.url()).toMatch(new RegExp(`#/runs/${second.id}$`));
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  await expectAccessible(page, 'signed out');
  await page.screenshot({ path: screenshotPath('console-signed-out'), fullPage: true });
  await page.locator('#api-key').fill(t.apiKey);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await waitForText(page, 'h1', ['Run of pima-long']);
  expect(await page.locator('.signed-out').count()).toBe(0);
  await gqlOk(t, 'mutation($id: ID!) { cancelTrainingRun(id: $id) { status } }', { id: second.id });
  await waitForText(page, '.status', ['CANCELLED']);

  // The same for an HTTP answer: a key revoked between two pages is UNAUTHENTICATED on the next query.
  const reader = (await gqlOk(t, 'mutation { createApiKey(input: { name: "console-reader", scopes: [DATASETS_READ] }) { key apiKey { id } } }')).createApiKey;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#api-key').fill(reader.key);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await waitForText(page, 'header', ['Sign out']);
  await gqlOk(t, 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: reader.apiKey.id });
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Datasets' }).click();
  await waitForText(page, '.signed-out[role="alert"]', ['Signed out: UNAUTHENTICATED', 'revoked']);
  expect(page.url()).toMatch(/#\/datasets$/);
  await context.close();
}, 600_000);
