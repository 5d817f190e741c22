/**
 * The web console's page and assets over plain HTTP: GET /console is the built page with a
 * same-origin Content-Security-Policy, its script and stylesheet come from this server (gzipped for
 * a browser that accepts it, identical once decompressed), name no CDN, and stray paths are 404s.
 * test/browser/console.spec.ts drives the console in a real browser.
 */
import zlib from 'node:zlib';
import type { App } from '../src/app';
import { startTestApp } from './support/app';

const CDN_HOSTS = /esm\.sh|unpkg\.com|jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|skypack\.dev/;

let app: App;
let origin: string;

beforeAll(async () => {
  app = await startTestApp({ WORKER_ENABLED: 'false' });
  origin = app.server.url.replace(/\/graphql$/, '');
});

afterAll(() => app?.stop());

it('serves the page with a same-origin Content-Security-Policy and only local assets', async () => {
  for (const path of ['/console', '/console/']) {
    const page = await fetch(`${origin}${path}`);
    expect([path, page.status]).toEqual([path, 200]);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    const html = await page.text();
    expect(html).toContain('<meta name="graphql-endpoint" content="/graphql"');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.sort()).toEqual(['/console/assets/console.css', '/console/assets/console.js', 'data:,']); // data:, — an empty favicon, so browsers ask for no /favicon.ico
    expect(html).not.toMatch(/https?:\/\//);
  }
});

it('sends gzip to a browser that accepts it and the same bytes uncompressed otherwise', async () => {
  for (const file of ['console.js', 'console.css']) {
    const url = `${origin}/console/assets/${file}`;
    // fetch (undici) decompresses by itself; the raw bytes are compared through node:zlib.
    const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    expect([file, plain.status, plain.headers.get('content-encoding')]).toEqual([file, 200, null]);
    const body = Buffer.from(await plain.arrayBuffer());
    expect(body.toString('utf8').match(CDN_HOSTS)?.[0]).toBeUndefined();

    const zipped = await fetch(url, { headers: { 'accept-encoding': 'gzip, br' } });
    expect([file, zipped.status, zipped.headers.get('content-encoding')]).toEqual([file, 200, 'gzip']);
    expect(zipped.headers.get('content-type')).toMatch(file.endsWith('.js') ? /javascript/ : /text\/css/);
    expect(Buffer.from(await zipped.arrayBuffer()).equals(body)).toBe(true);
    const gzipBytes = zlib.gzipSync(body, { level: 9 }).length;
    // The bundle stays small: the script under 150 kB (about 45 kB gzipped), the styles under 20 kB.
    expect([file, body.length < (file.endsWith('.js') ? 150_000 : 20_000), gzipBytes < body.length / 2]).toEqual([file, true, true]);
  }
});

it('answers 404 for stray paths and the build stamp', async () => {
  for (const path of ['/console/assets/.stamp', '/console/assets/../package.json', '/console/assets/nothing.js', '/console/assets/index.html.gz']) {
    expect([path, (await fetch(`${origin}${path}`)).status]).toEqual([path, 404]);
  }
});

it('serves the built HTML only through its page route (with its CSP), never as an asset; assets carry nosniff', async () => {
  for (const path of ['/console/assets/index.html', '/console/assets/INDEX.HTM', '/graphql-explorer/index.html']) {
    expect([path, (await fetch(`${origin}${path}`)).status]).toEqual([path, 404]);
  }
  for (const path of ['/console/assets/console.js', '/graphql-explorer/explorer.js']) {
    const res = await fetch(`${origin}${path}`);
    expect([path, res.status, res.headers.get('x-content-type-options')]).toEqual([path, 200, 'nosniff']);
  }
});
