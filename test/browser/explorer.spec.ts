/**
 * The offline explorer in a real browser (Chromium through playwright-core): every request the page
 * makes stays on this server (any other host is blocked and recorded), the API key goes in the
 * header editor (never in the URL or localStorage), a query shows its result, and a subscription
 * over graphql-ws shows its events. Screenshots: test-artifacts/screenshots/explorer-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import type { App } from '../../src/app';
import { startTestApp } from '../support/app';
import { launchBrowser, onlyOrigin, recordSockets, screenshotPath, waitForText } from '../support/browser';
import { PIMA_CSV } from '../support/data';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';
import { startRun, waitForRun } from '../support/training';

let app: App;
let t: TenantBundle;
let browser: Browser;
let datasetId: string;
let runId: string;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'explorer');
  datasetId = await uploadCsv(t, PIMA_CSV, 'pima-for-explorer');
  runId = (
    await startRun(t, datasetId, 'explorer-model', {
      layers: [{ type: 'DENSE', units: 1, inputDim: 8, activation: 'SIGMOID' }],
      loss: 'BINARY_CROSSENTROPY',
      optimizer: { name: 'ADAM' },
      epochs: 3,
      batchSize: 64,
    })
  ).id;
  expect((await waitForRun(t, runId)).status).toBe('SUCCEEDED');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/**
 * Replaces the text of the Monaco editor inside `container` (click, select all, insert as typed text),
 * then waits until the editor shows exactly that text; on a loaded machine the click can land before
 * the editor takes focus (select-all then misses and the old text stays), so it tries up to 3 times.
 */
async function setEditor(page: Page, container: string, text: string) {
  const editor = page.locator(`${container} .monaco-editor`).first();
  await editor.waitFor();
  for (let attempt = 1; ; attempt++) {
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
    const shown = await page
      .waitForFunction(
        ([sel, wanted]) => (document.querySelector(sel)?.textContent ?? '').replace(/\u00a0/g, ' ') === wanted,
        [`${container} .monaco-editor .view-lines`, text] as const,
        { polling: 100, timeout: 5_000 },
      )
      .then(() => true)
      .catch(() => false);
    if (shown) return;
    if (attempt === 3) throw new Error(`the editor in ${container} never showed ${JSON.stringify(text)}`);
  }
}

/**
 * Clicks Run until the response shows `parts`. GraphiQL reads the operation names from the editor
 * after a debounce: on a loaded machine a click right after the text changed can still send the
 * previous operation's name ("Unknown operation named …"); then it clicks again (5 times at most).
 */
async function runUntil(page: Page, parts: string[]): Promise<void> {
  const response = () => page.evaluate(() => (document.querySelector('.graphiql-response')?.textContent ?? '').replace(/\u00a0/g, ' '));
  for (let attempt = 1; ; attempt++) {
    const before = await response();
    await page.locator('.graphiql-execute-button').click();
    // A new answer replaces the pane (an identical one may not: then the checks below still decide).
    await page
      .waitForFunction(([b]) => (document.querySelector('.graphiql-response')?.textContent ?? '').replace(/\u00a0/g, ' ') !== b, [before] as const, {
        polling: 100,
        timeout: 5_000,
      })
      .catch(() => undefined);
    const stale = await page
      .waitForFunction(
        ([wanted]) => {
          const text = (document.querySelector('.graphiql-response')?.textContent ?? '').replace(/\u00a0/g, ' ');
          return wanted.every((w) => text.includes(w)) ? 'done' : text.includes('Unknown operation named') ? 'stale' : false;
        },
        [parts] as const,
        { polling: 100, timeout: 60_000 },
      )
      .then(async (h) => (await h.jsonValue()) === 'stale');
    if (!stale) return;
    if (attempt === 5) throw new Error(`GraphiQL kept sending a stale operation name: ${(await response()).slice(0, 300)}`);
    await page.waitForTimeout(500);
  }
}

/** The header editor (the visible one of the two editor tools, Variables and Headers). */
const HEADERS = '.graphiql-editor-tool .graphiql-editor:not(.hidden)';

it('runs a query and a subscription with the API key from the header editor, loading nothing from elsewhere', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const origin = new URL(app.server.url).origin;
  const { foreign, requested } = await onlyOrigin(context, origin);
  const page = await context.newPage();
  const { sockets, frames } = recordSockets(page);
  page.on('worker', (w) => requested.push(w.url()));

  await page.goto(app.server.url);
  await page.locator('.graphiql-container').waitFor();
  // The header editor opens prefilled with the placeholder.
  await waitForText(page, HEADERS, ['"Authorization": "Bearer <your API key>"']);
  await setEditor(page, HEADERS, JSON.stringify({ Authorization: `Bearer ${t.apiKey}` }));

  await setEditor(page, '.graphiql-query-editor', 'query Mine { viewer { tenantName } dataset(id: "' + datasetId + '") { name rowCount } }');
  await runUntil(page, [t.name, 'pima-for-explorer']);
  await page.screenshot({ path: screenshotPath('explorer-query') });

  await setEditor(page, '.graphiql-query-editor', 'subscription Progress { trainingProgress(runId: "' + runId + '") { kind status epoch epochs } }');
  await runUntil(page, ['"FINAL"', '"SUCCEEDED"']);
  await page.screenshot({ path: screenshotPath('explorer-subscription') });

  expect(sockets).toEqual([app.server.wsUrl.replace('localhost', '127.0.0.1')]);
  // The events came over graphql-ws: the replayed epochs, then FINAL.
  expect(frames.filter((f) => f.includes('"EPOCH"')).length).toBe(3);
  expect(frames.some((f) => f.includes('"FINAL"'))).toBe(true);
  expect(foreign).toEqual([]);
  expect(requested.length).toBeGreaterThan(3);
  for (const url of [page.url(), ...requested, ...sockets]) expect(url).not.toContain(t.apiKey);
  expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(t.apiKey);
  await context.close();
});
