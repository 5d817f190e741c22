/**
 * The console's version page in a real browser (Chromium through playwright-core), beyond the main
 * job (test/browser/console.spec.ts): deleting one of a version's aliases and the version itself,
 * each behind a confirmation dialog, with the server's refusal (CONFLICT while an alias points at
 * the version) next to the button; checked through the API afterwards. A multiclass classifier's
 * one-vs-rest ROC curves with their AUCs (the numbers equal to the API's), and an alias pointed at it
 * behind the console's modal dialog (no browser confirm()). A 60-class version with a
 * 150-character column name stays inside the screen at 1280 and 390 px (its confusion matrix in a
 * focusable scroll box, the long name cut in the bars with its full text as title), and the predict
 * playground refuses what is not a finite decimal beside the field without sending it. Versions are
 * trained through the API (a decision tree: instant). axe-core finds no serious violation, the open
 * dialog included. Screenshots: test-artifacts/screenshots/console-versions-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { App } from '../../src/app';
import { codeOf, gql, gqlOk } from '../../src/client/graphql-client';
import { screenshotPath, waitForText } from '../support/browser';
import { consoleBrowser, expectAccessible } from '../support/console-browser';
import { PIMA_CSV } from '../support/data';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';
import { trainVersion } from '../support/training';

const harness = consoleBrowser();
const { signedIn } = harness;
let app: App;
beforeAll(() => (app = harness.app()));

const TREE = { model: 'DECISION_TREE', tree: { maxDepth: 3 }, seed: 42 };
const MODEL = 'query($name: String!) { model(name: $name) { versions { version } aliases { name version } } }';
const SET_ALIAS = 'mutation($alias: String!, $version: Int!) { setModelAlias(model: "pima-tree", alias: $alias, version: $version) { name } }';
const model = async (t: TenantBundle) => (await gqlOk(t, MODEL, { name: 'pima-tree' })).model;

it('deletes an alias and then the version it pointed at, each after confirming; the version is refused while an alias points at it', async () => {
  const t = await createTenant(app, 'console-versions');
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  const v1 = await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'pima-tree', spec: TREE });
  await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'pima-tree', spec: TREE });
  await gqlOk(t, SET_ALIAS, { alias: 'production', version: 1 });
  await gqlOk(t, SET_ALIAS, { alias: 'canary', version: 1 });

  const page = await signedIn(t, `#/versions/${v1.id}`);
  await waitForText(page, 'h1', ['pima-tree v1']);
  await waitForText(page, 'ul.aliases', ['canary', 'production']);

  // The version first: an alias points at it, so the server refuses and the console says why.
  await page.getByRole('button', { name: 'Delete version pima-tree v1' }).click();
  const versionDialog = page.getByRole('dialog', { name: 'Delete version pima-tree v1?' });
  await waitForText(page, 'dialog[open]', ["Its artifact is deleted; the model's other versions and the training run stay.", 'This cannot be undone.']);
  await expectAccessible(page, 'delete-version dialog');
  await versionDialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await waitForText(page, 'section[aria-labelledby="registry"] > .delete [role="alert"]', ['CONFLICT', "alias '"]);
  expect((await model(t)).versions).toEqual([{ version: 2 }, { version: 1 }]);

  // An alias: Cancel keeps it; Delete removes it, and the page no longer lists it.
  await page.getByRole('button', { name: 'Delete alias canary' }).click();
  const aliasDialog = page.getByRole('dialog', { name: 'Delete alias canary?' });
  await waitForText(page, 'dialog[open]', [
    "Calls to pima-tree that name alias 'canary' get NOT_FOUND; version 1 itself stays.",
    'Pointing the alias at a version again brings it back.',
  ]);
  await expectAccessible(page, 'delete-alias dialog');
  await page.screenshot({ path: screenshotPath('console-versions-delete-alias'), fullPage: true });
  await aliasDialog.getByRole('button', { name: 'Cancel' }).click();
  expect(await page.getByRole('dialog').count()).toBe(0);
  expect((await model(t)).aliases.map((a: { name: string }) => a.name).sort()).toEqual(['canary', 'production']);
  await page.getByRole('button', { name: 'Delete alias canary' }).click();
  await aliasDialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await waitForText(page, 'section[aria-labelledby="registry"] > p', ['aliases: production.']);
  expect(await page.getByRole('button', { name: 'Delete alias canary' }).count()).toBe(0);
  expect((await model(t)).aliases).toEqual([{ name: 'production', version: 1 }]);
  const viaCanary = await gql(t, 'query { predict(model: "pima-tree", alias: "canary", rows: [{ Glucose: 100 }]) { version } }');
  expect(codeOf(viaCanary)).toBe('NOT_FOUND');

  await page.getByRole('button', { name: 'Delete alias production' }).click();
  await page.getByRole('dialog', { name: 'Delete alias production?' }).getByRole('button', { name: 'Delete', exact: true }).click();
  await waitForText(page, 'section[aria-labelledby="registry"]', ['aliases: none.']);
  expect((await model(t)).aliases).toEqual([]);
  expect(await page.locator('ul.aliases').count()).toBe(0);

  // Now the version goes: the console opens the models page, which lists only v2.
  await page.getByRole('button', { name: 'Delete version pima-tree v1' }).click();
  await versionDialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await waitForText(page, 'main', ['Models', 'pima-tree v2']);
  expect(page.url()).toMatch(/#\/models$/);
  expect(await page.getByRole('link', { name: 'pima-tree v1', exact: true }).count()).toBe(0);
  expect((await model(t)).versions).toEqual([{ version: 2 }]);
  expect(codeOf(await gql(t, 'query($id: ID!) { modelVersion(id: $id) { id } }', { id: v1.id }))).toBe('NOT_FOUND');
  await page.screenshot({ path: screenshotPath('console-versions-deleted'), fullPage: true });
}, 180_000);

it("draws a multiclass classifier's one-vs-rest ROC curves, each class's AUC and the macro average, with the numbers", async () => {
  const t = await createTenant(app, 'console-multiclass');
  const datasetId = await uploadCsv(t, fs.readFileSync(path.join(__dirname, '../../data/iris.csv'), 'utf8'), 'iris');
  const v = await trainVersion(t, { datasetId, targetColumn: 'species', modelName: 'iris-tree', spec: { model: 'DECISION_TREE', tree: { maxDepth: 2 }, seed: 42 } });
  expect(v.task).toBe('multiclass');
  const { modelVersion } = await gqlOk(
    t,
    'query($id: ID!) { modelVersion(id: $id) { target { classes } metrics { rocAuc ovrMacroAuc classRocCurves { class auc points { fpr tpr threshold } } } } }',
    { id: v.id },
  );
  const m = modelVersion.metrics;
  const curves: { class: string; auc: number; points: { fpr: number; tpr: number; threshold: number }[] }[] = m.classRocCurves;
  expect(m.rocAuc).toBeNull();
  expect(curves.map((c) => c.class)).toEqual(modelVersion.target.classes);
  expect(m.ovrMacroAuc).toBeCloseTo(curves.reduce((s, c) => s + c.auc, 0) / curves.length, 12);
  for (const c of curves) {
    expect(c.points[0]).toEqual({ fpr: 0, tpr: 0, threshold: 1 });
    expect(c.points.at(-1)).toMatchObject({ fpr: 1, tpr: 1 });
  }

  const page = await signedIn(t, `#/versions/${v.id}`);
  await waitForText(page, 'h1', ['iris-tree v1']);
  const chart = page.locator('figure.chart', { hasText: 'ROC curves, one class against the rest' });
  await chart.locator('canvas').first().waitFor();
  const aucs = curves.map((c) => `${c.class} ${Number(c.auc.toPrecision(3))}`).join(', ');
  expect(await chart.locator('[role="img"]').getAttribute('aria-label')).toBe(
    `ROC curves, one class against the rest (test split): 3 classes, macro-average area ${Number(m.ovrMacroAuc.toPrecision(4))}; area per class: ${aucs}`,
  );
  await waitForText(page, 'main table', ['ovrMacroAuc', String(Number(m.ovrMacroAuc.toPrecision(4)))]);
  const total = curves.reduce((s, c) => s + c.points.length, 0);
  await chart.getByText(`Show the numbers (${total} points)`).click();
  const rows = await chart.locator('details tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  expect(rows).toEqual(
    curves.flatMap((c) => c.points.map((p) => [c.class, ...[p.threshold, p.fpr, p.tpr].map((n) => String(Number.isInteger(n) ? n : Number(n.toPrecision(4))))])),
  );
  await page.screenshot({ path: screenshotPath('console-manage-multiclass-roc'), fullPage: true });
  await expectAccessible(page, 'multiclass version');

  // Pointing the production alias here asks first in the console's modal dialog (as the deletes do):
  // cancelled, nothing moves; confirmed, it points here.
  const aliases = async () => (await gqlOk(t, 'query($id: ID!) { modelVersion(id: $id) { aliases } }', { id: v.id })).modelVersion.aliases;
  const native: string[] = [];
  page.on('dialog', (d) => void (native.push(d.message()), d.dismiss()));
  await page.getByRole('button', { name: 'Point alias here' }).click();
  const move = page.getByRole('dialog', { name: 'Point alias production of iris-tree at v1?' });
  await waitForText(page, 'dialog[open]', ["Calls that use alias 'production' are served by this version from now on."]);
  await expectAccessible(page, 'alias dialog');
  await move.getByRole('button', { name: 'Cancel' }).click();
  expect(await page.getByRole('dialog').count()).toBe(0);
  expect(await aliases()).toEqual([]);
  await page.getByRole('button', { name: 'Point alias here' }).click();
  await move.getByRole('button', { name: 'Point alias', exact: true }).click();
  await waitForText(page, 'main', ['aliases: production']);
  expect(await aliases()).toEqual(['production']);
  expect(native).toEqual([]); // no browser confirm()
}, 180_000);

it('says why a version stored before test curves were kept has no ROC curve, instead of drawing one', async () => {
  const t = await createTenant(app, 'console-curves');
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  const fresh = await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'pima-tree', spec: TREE });
  const older = await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'pima-tree', spec: TREE });
  // v2's row as a version trained before the curves were stored has it: the same metrics, no rocCurve.
  await app.db.prisma.$executeRaw`UPDATE "ModelVersion" SET metrics = metrics - 'rocCurve' WHERE id = ${older.id}`;
  const reason = (await gqlOk(t, 'query($id: ID!) { modelVersion(id: $id) { metrics { rocCurve { fpr } curvesUnavailableReason } } }', { id: older.id })).modelVersion.metrics;
  expect(reason).toEqual({ rocCurve: null, curvesUnavailableReason: 'NOT_RECORDED' });

  const page = await signedIn(t, `#/versions/${older.id}`);
  await waitForText(page, 'h1', ['pima-tree v2']);
  await waitForText(page, 'section[aria-labelledby="curves-unavailable"]', [
    'ROC curve',
    'Not available: this version was trained before the platform stored test curves. Train it again to get them.',
    'NOT_RECORDED',
  ]);
  expect(await page.getByRole('figure', { name: 'ROC curve (test split)' }).count()).toBe(0);
  expect(await page.locator('canvas').count()).toBe(0);
  await waitForText(page, 'main table', ['rocAuc']); // the stored metrics still show
  await expectAccessible(page, 'version without curves');
  await page.screenshot({ path: screenshotPath('console-versions-no-curves'), fullPage: true });

  // The version with its curve draws it and gives no reason.
  await page.goto(new URL(`/console#/versions/${fresh.id}`, app.server.url).href);
  await waitForText(page, 'h1', ['pima-tree v1']);
  await page.getByRole('figure', { name: 'ROC curve (test split)' }).waitFor();
  expect(await page.locator('section[aria-labelledby="curves-unavailable"]').count()).toBe(0);
}, 180_000);

/** A 150-character column name without spaces, as some exports write them. */
const LONG = `sensor_${'reading_'.repeat(17)}end`.slice(0, 150);

/** 600 rows of 60 classes (c00…c59) that `x` separates, and a noise column named {@link LONG}. */
function manyClassesCsv(): string {
  const lines = [`x,${LONG},label`];
  for (let i = 0; i < 600; i++) lines.push(`${i % 60}.${i % 7},${(i * 37) % 101},c${String(i % 60).padStart(2, '0')}`);
  return lines.join('\n');
}

/** Waits until the page is no wider than its viewport (charts redraw a frame after a resize), then returns its width. */
async function pageWidth(page: Page, viewport: number): Promise<number> {
  await page.waitForFunction((w) => document.documentElement.scrollWidth <= w, viewport, { polling: 100, timeout: 5_000 }).catch(() => undefined);
  return page.evaluate(() => document.documentElement.scrollWidth);
}

it("keeps a 60-class version with a 150-character column name inside the screen, and checks the playground's numbers before sending them", async () => {
  const t = await createTenant(app, 'console-wide');
  const datasetId = await uploadCsv(t, manyClassesCsv(), 'sixty');
  const v = await trainVersion(t, { datasetId, targetColumn: 'label', modelName: 'sixty-tree', spec: { model: 'DECISION_TREE', tree: { maxDepth: 8 }, seed: 42 } });
  expect(v.task).toBe('multiclass');

  const page = await signedIn(t, `#/versions/${v.id}`);
  await waitForText(page, 'h1', ['sixty-tree v1']);
  // The confusion matrix scrolls in its own focusable, labelled box, saying so; the page does not widen.
  const box = page.getByRole('region', { name: 'Confusion matrix table' });
  expect(await box.locator('tbody tr').count()).toBe(60);
  expect(await box.getAttribute('tabindex')).toBe('0');
  expect(await box.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  await waitForText(page, 'figure.heatmap', ['Scroll sideways for more columns']);
  expect(await pageWidth(page, 1280)).toBeLessThanOrEqual(1280);

  // The long name is cut in the importance bars; its full text is the title and stays in the page.
  const importance = page.locator('figure.bars', { hasText: 'Feature importance' });
  const label = importance.locator(`.bar-label[title="${LONG}"]`);
  expect(await label.locator('.bar-name').textContent()).toBe(LONG);
  expect(await label.locator('.bar-name').evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  expect(await importance.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

  // Numbers the playground refuses, beside the field, with nothing sent.
  const posts: string[] = [];
  page.on('request', (r) => void (r.method() === 'POST' && posts.push(r.postData() ?? '')));
  const predict = page.getByRole('button', { name: 'Predict and explain' });
  for (const [typed, message] of [
    ['abc', "x must be a decimal number such as 12 or -0.5, not 'abc'"],
    ['0x10', "x must be a decimal number such as 12 or -0.5, not '0x10'"],
    ['1e400', "x '1e400' is too large: a number must be within ±1.8e308"],
  ]) {
    await page.locator('#in-x').fill(typed);
    await predict.click();
    await waitForText(page, '#in-x-error', [message]);
    expect(await page.locator('#in-x').getAttribute('aria-invalid')).toBe('true');
  }
  expect(posts).toEqual([]);
  await expectAccessible(page, 'playground with a refused number');
  // Empty is a missing value here (the version imputes it, as the hint says): sent as null, answered.
  expect(await page.locator('#in-x-hint').textContent()).toMatch(/^Empty = missing, read as \d/);
  await page.locator('#in-x').fill('');
  await predict.click();
  await waitForText(page, '.prediction', ['Prediction: c']);
  expect(await page.locator('#in-x-error').count()).toBe(0);
  expect(posts.map((p) => JSON.parse(p).variables.rows?.[0]?.x)).toContain(null);
  const attributions = page.locator('figure.bars', { hasText: 'Attributions' });
  expect(await attributions.locator(`.bar-label[title^="${LONG} = "]`).count()).toBe(1);
  expect(await attributions.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await expectAccessible(page, 'wide version at 1280 px');
  await page.screenshot({ path: screenshotPath('console-versions-wide'), fullPage: true });

  await page.setViewportSize({ width: 390, height: 844 });
  expect(await pageWidth(page, 390)).toBeLessThanOrEqual(390);
  expect(await importance.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await expectAccessible(page, 'wide version at 390 px');
  await page.screenshot({ path: screenshotPath('console-versions-wide-phone'), fullPage: true });
}, 180_000);
