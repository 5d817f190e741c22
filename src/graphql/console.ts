/**
 * The web console at GET /console: a Preact single-page app bundled from npm into dist/console/ by
 * scripts/build-console.mjs (run by `npm run build` and the test setup). Its page and its assets
 * (under {@link CONSOLE_ASSETS_PATH}, a gzip copy served to browsers that accept one) come from this
 * process, and a Content-Security-Policy keeps the page's scripts, styles and connections on this
 * origin. The console talks to the public /graphql endpoint and websocket only; pages are hash
 * routes (`/console#/runs/<id>`), so the API key never travels in a URL the server sees.
 */
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import { projectRoot } from '../lib/paths';

/** URL path of the console page. */
export const CONSOLE_PATH = '/console';

/** URL path of the console's scripts and styles. */
export const CONSOLE_ASSETS_PATH = '/console/assets';

/** Only this origin: scripts, styles (uPlot sets inline styles), images as data: URLs, fetch and websocket. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Folder of the built console (scripts/build-console.mjs writes it). */
export const consoleDir = (): string => path.join(projectRoot(), 'dist', 'console');

/**
 * Mounts GET /console (the page, read once) and its assets. When the console is not built the page
 * answers 503 naming `npm run build:console`, and the API keeps serving.
 */
export function mountConsole(app: express.Express, endpoint = '/graphql'): void {
  const file = path.join(consoleDir(), 'index.html');
  const html = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').replaceAll('__ENDPOINT__', endpoint).replaceAll('__ASSETS__', CONSOLE_ASSETS_PATH) : undefined;
  const page: express.RequestHandler = (_req, res) => {
    if (!html) {
      res.status(503).type('text/plain').send(`The console is not built (${file} is missing): run \`npm run build:console\` (or \`npm run build\`).`);
      return;
    }
    res.set({ 'content-security-policy': CSP, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' }).type('html').send(html);
  };
  app.get(CONSOLE_PATH, page);
  app.get(`${CONSOLE_PATH}/`, page);
  app.use(CONSOLE_ASSETS_PATH, assetsOnly, gzipped(consoleDir()), express.static(consoleDir(), { index: false, dotfiles: 'ignore', maxAge: '1h' }));
}

/**
 * Assets only: the built HTML is served by its page route alone (with its CSP), never as a static
 * file that a foreign page could frame; every asset carries `nosniff`.
 */
export const assetsOnly: express.RequestHandler = (req, res, next) => {
  if (/\.html?$/i.test(req.path)) {
    res.status(404).type('text/plain').send('Not found');
    return;
  }
  res.set('x-content-type-options', 'nosniff');
  next();
};

/**
 * Serves `<file>.gz` for a .js or .css request when the browser accepts gzip and the copy exists
 * (the build scripts write them: scripts/build-stamp.mjs `gzipCopies`); the console's and the
 * explorer's assets.
 */
export function gzipped(dir: string): express.RequestHandler {
  return (req, res, next) => {
    const name = path.basename(req.path);
    if (req.method !== 'GET' || !/^[\w.-]+\.(js|css)$/.test(name) || !req.acceptsEncodings('gzip')) return next();
    const gz = path.join(dir, `${name}.gz`);
    if (!fs.existsSync(gz)) return next();
    res.set({ 'content-encoding': 'gzip', vary: 'Accept-Encoding', 'cache-control': 'public, max-age=3600' });
    res.type(path.extname(name));
    res.sendFile(gz);
  };
}
