/**
 * A real browser for tests: playwright-core driving the system's Chromium (Debian's `chromium`
 * package; no browser download). CHROMIUM_PATH overrides /usr/bin/chromium. Screenshots go to
 * test-artifacts/screenshots/ (gitignored; CI keeps it as an artefact).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

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
