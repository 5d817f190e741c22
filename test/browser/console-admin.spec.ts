/**
 * The operator's console in a real browser (Chromium through playwright-core): where the server
 * offers it (serverInfo.consoleAdminSignIn), "Sign in as admin" with the admin secret, kept in
 * sessionStorage and never in the URL; the tenants listed, one created (its first key shown once;
 * its name again a CONFLICT, a blank name refused in the form with the CONFLICT gone), a key created
 * for it and revoked after a confirmation dialog, an expired key shown as expired, its limits set.
 * Where the server does not offer it (CONSOLE_ADMIN_SIGN_IN=false), the sign-in page has no admin
 * form. axe-core finds no serious violation. Screenshots: test-artifacts/screenshots/console-admin-*.png.
 */
import type { App } from '../../src/app';
import { codeOf, gql, gqlOk } from '../../src/client/graphql-client';
import { startAppOnWorkerDatabase } from '../support/app';
import { screenshotPath, waitForText } from '../support/browser';
import { consoleBrowser, expectAccessible } from '../support/console-browser';
import { createTenant } from '../support/factories';
import { ADMIN_SECRET } from '../support/secrets';

const harness = consoleBrowser();
const { openConsole } = harness;
let app: App;
beforeAll(() => (app = harness.app()));

it('signs in as admin, creates a tenant, creates and revokes its key and sets its limits', async () => {
  const existing = await createTenant(app, 'admin-existing');
  const page = await openConsole();
  await page.getByRole('button', { name: 'Sign in as admin' }).waitFor();
  await expectAccessible(page, 'sign-in with the admin form');

  // A wrong secret is refused with its code and not kept.
  await page.locator('#admin-secret').fill('not-the-admin-secret');
  await page.getByRole('button', { name: 'Sign in as admin' }).click();
  await waitForText(page, 'main [role="alert"]', ['FORBIDDEN']);
  expect(await page.evaluate(() => JSON.stringify(sessionStorage))).toBe('{}');

  await page.locator('#admin-secret').fill(ADMIN_SECRET);
  await page.getByRole('button', { name: 'Sign in as admin' }).click();
  await waitForText(page, 'header', ['Operator (admin secret)', 'Sign out']);
  await waitForText(page, 'main', ['Tenants', existing.name]);
  expect(page.url()).not.toContain(ADMIN_SECRET);
  expect(await page.evaluate(() => sessionStorage.getItem('maas.console.adminSecret'))).toBe(ADMIN_SECRET);
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
  await expectAccessible(page, 'tenants');

  // Create a tenant: its first key is shown once and works.
  const name = `console-made-${Date.now()}`;
  await page.locator('#tenant-name').fill(name);
  await page.getByRole('button', { name: 'Create tenant' }).click();
  const firstKey = await page.locator('#new-tenant-key').inputValue({ timeout: 60_000 });
  await waitForText(page, 'main table', [name]);
  const viewer = (await gqlOk({ url: app.server.url, token: firstKey }, '{ viewer { tenantName tenantId } }')).viewer;
  expect(viewer.tenantName).toBe(name);
  await page.screenshot({ path: screenshotPath('console-admin-tenants'), fullPage: true });

  // The same name again is a CONFLICT; a blank name is refused in the form, and the CONFLICT goes.
  const refusal = page.locator('form[aria-labelledby="create-tenant"] p.error');
  await page.locator('#tenant-name').fill(name);
  await page.getByRole('button', { name: 'Create tenant' }).click();
  await waitForText(page, 'form[aria-labelledby="create-tenant"] p.error', ['CONFLICT']);
  for (const blank of ['', '   ']) {
    await page.locator('#tenant-name').fill(blank);
    await page.getByRole('button', { name: 'Create tenant' }).click();
    await waitForText(page, '#tenant-name-error', ['Enter a name for the tenant']);
    expect(await refusal.count()).toBe(0);
    expect(await page.locator('#tenant-name').getAttribute('aria-invalid')).toBe('true');
  }

  // A key past its expiry (set in the database: the API takes no past expiry) shows as expired.
  const operator = { url: app.server.url, headers: { 'x-admin-secret': ADMIN_SECRET } };
  const shortLived = (
    await gqlOk(
      operator,
      'mutation($t: ID!) { createTenantApiKey(tenantId: $t, input: { name: "short-lived", scopes: [DATASETS_READ], expiresAt: "2999-01-01T00:00:00Z" }) { apiKey { id } } }',
      { t: viewer.tenantId },
    )
  ).createTenantApiKey.apiKey.id;
  await app.db.prisma.apiKey.update({ where: { id: shortLived }, data: { expiresAt: new Date(Date.now() - 60_000) } });

  // Its page: a key with one scope, then revoked after confirming.
  await page.getByRole('link', { name }).click();
  await waitForText(page, 'h1', [`Tenant ${name}`]);
  await waitForText(page, 'main', ['initial admin key']);
  await page.locator('#key-name').fill('reader');
  await page.getByRole('checkbox', { name: 'datasets:read' }).check();
  await page.getByRole('button', { name: 'Create key' }).click();
  const readerKey = await page.locator('#new-key').inputValue({ timeout: 60_000 });
  await waitForText(page, 'main table', ['reader', 'datasets:read']);
  const reader = { url: app.server.url, token: readerKey };
  expect((await gqlOk(reader, '{ viewer { scopes } }')).viewer.scopes).toEqual(['datasets:read']);
  await expectAccessible(page, 'tenant');
  const expired = page.locator('main table tr', { hasText: 'short-lived' });
  await waitForText(page, 'main table', ['short-lived']);
  expect(await expired.locator('td').last().textContent()).toMatch(/^expired /);
  expect(await page.getByRole('button', { name: 'Revoke short-lived' }).count()).toBe(0);
  await page.getByRole('button', { name: 'Revoke reader' }).click();
  const revoke = page.getByRole('dialog', { name: 'Revoke API key reader?' });
  await waitForText(page, 'dialog[open]', ['Requests with it are refused (UNAUTHENTICATED) from now on', 'This cannot be undone.']);
  await expectAccessible(page, 'revoke dialog');
  await revoke.getByRole('button', { name: 'Cancel' }).click();
  expect((await gqlOk(reader, '{ viewer { scopes } }')).viewer.scopes).toEqual(['datasets:read']);
  await page.getByRole('button', { name: 'Revoke reader' }).click();
  await revoke.getByRole('button', { name: 'Revoke', exact: true }).click();
  await waitForText(page, 'main table', ['revoked']);
  expect(codeOf(await gql(reader, '{ viewer { scopes } }'))).toBe('UNAUTHENTICATED');

  // Limits: one override set, the rest left to the defaults.
  await page.locator('#limit-maxRunningRuns').fill('1');
  await page.getByRole('button', { name: 'Save limits' }).click();
  await waitForText(page, 'form[aria-labelledby="limits-title"]', ['Saved.']);
  const limits = (await gqlOk(operator, 'query($t: ID!) { tenantLimits(tenantId: $t) { maxRunningRuns defaults } }', { t: viewer.tenantId })).tenantLimits;
  expect(limits.maxRunningRuns).toBe(1);
  expect(limits.defaults).not.toContain('maxRunningRuns');
  expect(limits.defaults).toContain('maxConcurrentRuns');
  await page.screenshot({ path: screenshotPath('console-admin-tenant'), fullPage: true });

  // A reload keeps the operator signed in (sessionStorage); sign-out forgets the secret.
  await page.reload();
  await waitForText(page, 'header', ['Operator (admin secret)']);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
}, 180_000);

it('offers no admin sign-in where the server has it off (CONSOLE_ADMIN_SIGN_IN=false)', async () => {
  const closed = await startAppOnWorkerDatabase({ CONSOLE_ADMIN_SIGN_IN: 'false' });
  try {
    expect((await gqlOk({ url: closed.server.url }, '{ serverInfo { consoleAdminSignIn } }')).serverInfo.consoleAdminSignIn).toBe(false);
    const page = await openConsole(closed.server.url);
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    // The options query has answered once the page is idle; the admin form never appears.
    await page.waitForLoadState('networkidle');
    expect(await page.locator('#admin-secret').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Sign in as admin' }).count()).toBe(0);
    await expectAccessible(page, 'sign-in without the admin form');
  } finally {
    await harness.closeContext();
    await closed.stop();
  }
}, 120_000);
