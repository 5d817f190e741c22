/**
 * Sweeps in the console, in a real browser (Chromium through playwright-core): started from the
 * form (a grid over a decision tree's depth), its page's leaderboard filled live from the
 * sweepLeaderboard subscription until the sweep SUCCEEDED (ranks and objectives as the API ranks
 * them, the best version linked), the sweeps list (paged), a bad search space named next to its
 * box, the form's JSON boxes inside a 390 px screen, and a running sweep cancelled. axe-core finds
 * no serious violation. Screenshots: test-artifacts/screenshots/console-sweep-*.png.
 */
import type { App } from '../../src/app';
import { gqlOk } from '../../src/client/graphql-client';
import { screenshotPath, waitForText } from '../support/browser';
import { consoleBrowser, expectAccessible } from '../support/console-browser';
import { PIMA_CSV, SLOW_NETWORK } from '../support/data';
import { createTenant, uploadCsv } from '../support/factories';

const harness = consoleBrowser();
const { signedIn } = harness;
let app: App;
beforeAll(() => (app = harness.app()));

const LEADERBOARD = `query($id: ID!) { sweep(id: $id) { status bestVersion { id version } leaderboard { rank objective params status } } }`;

it('starts a sweep from the form and follows its leaderboard live to the best version', async () => {
  const t = await createTenant(app, 'console-sweep');
  await uploadCsv(t, PIMA_CSV, 'pima');
  const page = await signedIn(t, '#/sweeps');
  await waitForText(page, 'main', ['No sweeps yet']);
  await page.getByRole('link', { name: 'Start a sweep' }).click();
  await waitForText(page, 'h1', ['Start a sweep']);
  await waitForText(page, 'main', ['Search space']);
  expect(await page.locator('#sweep-target').inputValue()).toBe('Outcome');
  // At phone width the JSON boxes (border and padding included) stay inside the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
  const rights = await page.locator('textarea').evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect().right));
  expect(rights).toHaveLength(2);
  for (const right of rights) expect(right).toBeLessThanOrEqual(390 - 12); // main's padding at phone width
  await page.setViewportSize({ width: 1280, height: 800 });

  // JSON that does not parse is named next to its box, and nothing is sent.
  await page.locator('#sweep-space').fill('[{ path: ');
  await page.getByRole('button', { name: 'Start sweep' }).click();
  await waitForText(page, '#sweep-space-error', ['Not JSON']);
  await expectAccessible(page, 'sweep form with an error');

  await page.locator('#sweep-space').fill(JSON.stringify([{ path: 'tree.maxDepth', values: [2, 3, 4] }]));
  await page.locator('#sweep-trials').fill('3');
  await page.getByRole('button', { name: 'Start sweep' }).click();
  await waitForText(page, 'h1', ['Sweep of pima-sweep']);
  expect(page.url()).toMatch(/#\/sweeps\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').pop()!;
  await waitForText(page, 'main', ['Status: SUCCEEDED', 'Best version: pima-sweep v'], 120_000);

  // The table is the API's leaderboard: ranks, parameters, final objectives.
  const { sweep } = await gqlOk(t, LEADERBOARD, { id });
  const rows = await page.locator('table.leaderboard tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  expect(rows.map((r) => [r[0], r[3], r[4], r[5]])).toEqual(
    sweep.leaderboard.map((x: { rank: number; params: Record<string, number>; status: string; objective: number }) => [
      String(x.rank),
      `tree.maxDepth = ${x.params['tree.maxDepth']}`,
      x.status,
      String(Number(x.objective.toPrecision(4))),
    ]),
  );
  expect(await page.getByRole('link', { name: `pima-sweep v${sweep.bestVersion.version}` }).getAttribute('href')).toBe(`#/versions/${sweep.bestVersion.id}`);
  expect(await page.getByRole('button', { name: 'Cancel sweep' }).count()).toBe(0);
  await page.screenshot({ path: screenshotPath('console-sweep'), fullPage: true });
  await expectAccessible(page, 'sweep');

  await page.getByRole('link', { name: 'Sweeps' }).click();
  await waitForText(page, '.more', ['Showing 1 of 1.']);
  await waitForText(page, 'main table', ['pima-sweep', 'GRID', 'maximize accuracy', 'SUCCEEDED', `v${sweep.bestVersion.version}`]);
  await expectAccessible(page, 'sweeps');
}, 240_000);

it('cancels a running sweep from its page', async () => {
  const t = await createTenant(app, 'console-sweep-cancel');
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  const started = await gqlOk(t, 'mutation($input: StartSweepInput!) { startSweep(input: $input) { id } }', {
    input: {
      datasetId,
      targetColumn: 'Outcome',
      modelName: 'slow',
      baseSpec: { ...SLOW_NETWORK, epochs: 200 },
      strategy: 'GRID',
      space: [{ path: 'optimizer.learningRate', values: [0.001, 0.01] }],
      objective: { metric: 'ACCURACY', direction: 'MAXIMIZE' },
      budget: { maxTrials: 2, maxConcurrent: 1 },
    },
  });
  const page = await signedIn(t, `#/sweeps/${started.startSweep.id}`);
  await waitForText(page, 'main', ['Status: RUNNING']);
  await page.getByRole('button', { name: 'Cancel sweep' }).click();
  await waitForText(page, 'main', ['Status: CANCELLED']);
  expect((await gqlOk(t, LEADERBOARD, { id: started.startSweep.id })).sweep.status).toBe('CANCELLED');
}, 120_000);
