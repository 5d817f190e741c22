/**
 * The console's version page in a real browser (Chromium through playwright-core), beyond the main
 * job (test/browser/console.spec.ts): deleting one of a version's aliases and the version itself,
 * each behind a confirmation dialog, with the server's refusal (CONFLICT while an alias points at
 * the version) next to the button; checked through the API afterwards. Versions are trained
 * through the API (a decision tree: instant). axe-core finds no serious violation, the open dialog
 * included. Screenshots: test-artifacts/screenshots/console-versions-*.png.
 */
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
