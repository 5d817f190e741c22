/**
 * The console specs' shared set-up: a test app and a headless Chromium for the file (Jest hooks
 * registered by {@link consoleBrowser}), one browser context per test (closed after it), pages
 * opened on the console or signed in with a tenant's key, and the axe-core expectation.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { App } from '../../src/app';
import { startTestApp } from './app';
import { launchBrowser, seriousAxeViolations, waitForText } from './browser';
import type { TenantBundle } from './factories';

/** What a console spec uses; `app()` is the file's app once `beforeAll` ran. */
export interface ConsoleBrowser {
  app: () => App;
  /** A new 1280×800 page (60 s default timeout) at `/console` of `url` (Default: the file's app). */
  openConsole: (url?: string) => Promise<Page>;
  /** A page signed in to the console as `t`, at `route` (e.g. `#/models`). */
  signedIn: (t: TenantBundle, route: string) => Promise<Page>;
  /** Closes the test's context now (before its app stops, say). */
  closeContext: () => Promise<void>;
}

/** Registers beforeAll/afterEach/afterAll for a console spec file. */
export function consoleBrowser(): ConsoleBrowser {
  let app: App;
  let browser: Browser;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
  });
  const closeContext = async () => {
    await context?.close();
    context = undefined;
  };
  afterEach(closeContext);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });
  const openConsole = async (url = app.server.url) => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    await page.goto(new URL('/console', url).href);
    return page;
  };
  const signedIn = async (t: TenantBundle, route: string) => {
    const page = await openConsole();
    await page.locator('#api-key').fill(t.apiKey);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await waitForText(page, 'header', [t.name, 'Sign out']);
    await page.goto(new URL(`/console${route}`, app.server.url).href);
    return page;
  };
  return { app: () => app, openConsole, signedIn, closeContext };
}

/** Expects axe-core to find no serious or critical violation on `page` (named `where` in the failure). */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  expect({ where, violations: await seriousAxeViolations(page) }).toEqual({ where, violations: [] });
}
