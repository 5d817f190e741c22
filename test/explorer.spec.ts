/**
 * The offline GraphQL explorer at GET /graphql (GRAPHQL_EXPLORER): the page and every asset it loads
 * come from this server, none names a CDN, POST /graphql is unchanged, and `off` / `sandbox` switch it.
 * test/browser/explorer.spec.ts drives it in a real browser.
 */
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { startTestApp } from './support/app';

/** Hosts that serve browser packages or Apollo's hosted pages: none may appear in what we serve. */
const CDN_HOSTS = /esm\.sh|unpkg\.com|jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|cdn\.apollographql\.com|skypack\.dev/;

const origin = (app: App) => app.server.url.replace(/\/graphql$/, '');
const getHtml = (app: App) => fetch(app.server.url, { headers: { accept: 'text/html' } });

async function withApp(env: Record<string, string>, body: (app: App) => Promise<void>) {
  const app = await startTestApp({ WORKER_ENABLED: 'false', ...env });
  try {
    await body(app);
  } finally {
    await app.stop();
  }
}

describe('GRAPHQL_EXPLORER=graphiql (the default outside production)', () => {
  it('sends the scripts and style sheet gzipped to a browser that accepts it, the same bytes otherwise', () =>
    withApp({}, async (app) => {
      const sent: Record<string, [number, number]> = {};
      for (const file of ['explorer.js', 'explorer.css', 'editor.worker.js', 'graphql.worker.js', 'json.worker.js']) {
        const url = `${origin(app)}/graphql-explorer/${file}`;
        // fetch (undici) decompresses by itself: the bytes on the wire are the Content-Length.
        const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
        expect([file, plain.status, plain.headers.get('content-encoding')]).toEqual([file, 200, null]);
        const body = Buffer.from(await plain.arrayBuffer());
        const zipped = await fetch(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
        expect([file, zipped.status, zipped.headers.get('content-encoding'), zipped.headers.get('vary')]).toEqual([file, 200, 'gzip', 'Accept-Encoding']);
        expect(zipped.headers.get('content-type')).toMatch(file.endsWith('.js') ? /javascript/ : /text\/css/);
        expect(Buffer.from(await zipped.arrayBuffer()).equals(body)).toBe(true);
        sent[file] = [Number(plain.headers.get('content-length')), Number(zipped.headers.get('content-length'))];
      }
      // The page's first load (script + styles): ~5.9 MB as built, well under half of it gzipped.
      const [plain, zipped] = [0, 1].map((i) => sent['explorer.js'][i] + sent['explorer.css'][i]);
      expect(zipped).toBeLessThan(plain / 2.5);
      console.log(`explorer first load: ${plain} bytes, ${zipped} gzipped; ${JSON.stringify(sent)}`);
    }));

  it('serves the explorer page and all its assets from this server, naming no other host', () =>
    withApp({}, async (app) => {
      const page = await getHtml(app);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const html = await page.text();
      expect(html).toContain('<div id="graphiql">');
      expect(html).toContain('<meta name="graphql-endpoint" content="/graphql"');
      // Every script and stylesheet is a path on this server.
      const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(refs.sort()).toEqual(['/graphql-explorer/explorer.css', '/graphql-explorer/explorer.js', 'data:,']); // data:, — an empty favicon (no /favicon.ico request)
      expect(html).not.toMatch(/https?:\/\//);

      const assets = new Map<string, string>();
      const load = async (file: string) => {
        const r = await fetch(`${origin(app)}/graphql-explorer/${file}`);
        expect([file, r.status]).toEqual([file, 200]);
        assets.set(file, await r.text());
      };
      await load('explorer.js');
      await load('explorer.css');
      // Monaco's workers (named in explorer.js) and the CSS's fonts: relative files or data: URLs.
      const workers = [...new Set(assets.get('explorer.js')!.match(/[\w-]+\.worker\.js/g))].sort();
      expect(workers).toEqual(['editor.worker.js', 'graphql.worker.js', 'json.worker.js']);
      for (const w of workers) await load(w);
      const cssUrls = [...assets.get('explorer.css')!.matchAll(/url\(\s*["']?([^"')]+)/g)].map((m) => m[1]);
      expect(cssUrls.length).toBeGreaterThan(0);
      for (const u of cssUrls) expect(u).toMatch(/^(data:|\.\/[\w.-]+$)/);
      for (const u of cssUrls.filter((x) => x.startsWith('./'))) await load(u.slice(2));

      for (const [file, text] of assets) expect([file, text.match(CDN_HOSTS)?.[0]]).toEqual([file, undefined]);
      // No stray files: a path outside the bundle is a 404, not the page.
      expect((await fetch(`${origin(app)}/graphql-explorer/../package.json`)).status).toBe(404);
      expect((await fetch(`${origin(app)}/graphql-explorer/.stamp`)).status).toBe(404);
    }));

  it('leaves POST /graphql (and GET for JSON clients) as it was', () =>
    withApp({}, async (app) => {
      expect((await gqlOk(app.server, '{ serverInfo { version } }')).serverInfo.version).toMatch(/^\d+\.\d+\.\d+/);
      // The console links to the explorer only when the server serves one (serverInfo.graphqlExplorer).
      expect((await gqlOk(app.server, '{ serverInfo { graphqlExplorer } }')).serverInfo.graphqlExplorer).toBe('graphiql');
      const r = await fetch(`${app.server.url}?query=${encodeURIComponent('{ serverInfo { version } }')}`, {
        headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
      });
      expect(r.status).toBe(200);
      expect((await r.json()).data.serverInfo.version).toMatch(/^\d/);
    }));
});

describe('GRAPHQL_EXPLORER=off', () => {
  it('serves no page and no assets; POST still works', () =>
    withApp({ GRAPHQL_EXPLORER: 'off' }, async (app) => {
      const page = await getHtml(app);
      expect(page.status).toBe(400);
      expect(page.headers.get('content-type')).not.toMatch(/text\/html/);
      expect(await page.text()).not.toContain('<html');
      expect((await fetch(`${origin(app)}/graphql-explorer/explorer.js`)).status).toBe(404);
      expect((await gqlOk(app.server, '{ serverInfo { version graphqlExplorer } }')).serverInfo).toMatchObject({ version: expect.stringMatching(/^\d/), graphqlExplorer: 'off' });
    }));

  it('is the production default', () =>
    withApp({ NODE_ENV: 'production' }, async (app) => {
      expect((await getHtml(app)).status).toBe(400);
    }));

  it('is what the deprecated GRAPHQL_SANDBOX=false still means', () =>
    withApp({ NODE_ENV: 'development', GRAPHQL_SANDBOX: 'false' }, async (app) => {
      expect((await getHtml(app)).status).toBe(400);
    }));
});

describe('GRAPHQL_EXPLORER=sandbox', () => {
  it("serves Apollo's hosted Sandbox page (which loads from Apollo's servers), and no local assets", () =>
    withApp({ GRAPHQL_EXPLORER: 'sandbox' }, async (app) => {
      const page = await getHtml(app);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/embeddable-sandbox|apollographql/);
      expect((await fetch(`${origin(app)}/graphql-explorer/explorer.js`)).status).toBe(404);
    }));
});
