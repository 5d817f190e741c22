/**
 * A real browser for tests: playwright-core driving the system's Chromium (Debian's `chromium`
 * package; no browser download). CHROMIUM_PATH overrides /usr/bin/chromium. Screenshots go to
 * test-artifacts/screenshots/ (gitignored; CI keeps it as an artefact). Also a text wait and an axe-core
 * accessibility check for pages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOT_DIR = path.join(__dirname, '../../test-artifacts/screenshots');

/**
 * Launches headless Chromium.
 * @throws Error naming the package to install when the browser is missing.
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`No Chromium at ${executablePath}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  // --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** The path of a screenshot named `name` (the folder is created). */
export function screenshotPath(name: string): string {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, `${name}.png`);
}

/**
 * Waits until the text of the first element matching `selector` contains every one of `parts`
 * (U+00A0 read as a space).
 * @throws Error saying what the element shows when it never does (within `timeout` ms, default 60 s).
 */
export async function waitForText(page: Page, selector: string, parts: string[], timeout = 60_000): Promise<void> {
  try {
    await page.waitForFunction(
      ([sel, wanted]) => {
        const text = (document.querySelector(sel)?.textContent ?? '').replace(/\u00a0/g, ' ');
        return wanted.every((w) => text.includes(w));
      },
      [selector, parts] as const,
      { polling: 100, timeout },
    );
  } catch (error) {
    const shown = await page.evaluate((sel) => document.querySelector(sel)?.textContent ?? '(nothing)', selector);
    throw new Error(`${selector} never showed ${JSON.stringify(parts)}; it shows: ${shown.slice(0, 2000)}`, { cause: error });
  }
}

/** One axe-core rule broken on a page: its id, impact and how many elements break it. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core (npm `axe-core`, evaluated in the page, so the page's Content-Security-Policy does
 * not stop it) and returns the serious and critical violations (WCAG 2 A and AA rules).
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
}

/** What a browser context asked for: every URL, and those outside `origin` (blocked). */
export interface RequestLog {
  requested: string[];
  foreign: string[];
}

/**
 * Lets `context` load only from `origin` (and data:/blob: URLs): any other request is aborted and
 * recorded in `foreign`; every URL is recorded in `requested`.
 */
export async function onlyOrigin(context: BrowserContext, origin: string): Promise<RequestLog> {
  const log: RequestLog = { requested: [], foreign: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    log.requested.push(url);
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    log.foreign.push(url);
    return route.abort();
  });
  return log;
}

/** The websockets `page` opens (URLs) and every frame it receives on them (payloads as text). */
export function recordSockets(page: Page): { sockets: string[]; frames: string[] } {
  const sockets: string[] = [];
  const frames: string[] = [];
  page.on('websocket', (ws) => {
    sockets.push(ws.url());
    ws.on('framereceived', (f) => frames.push(String(f.payload)));
  });
  return { sockets, frames };
}
