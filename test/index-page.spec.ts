/**
 * GET / on the API's port: an index of the console, /graphql, /v2 and the health checks (JSON by
 * default, HTML to a browser), instead of express' "Cannot GET /"; every path it lists answers.
 */
import type { App } from '../src/app';
import { startTestApp } from './support/app';

let app: App;
let base: string;
beforeAll(async () => {
  app = await startTestApp();
  base = app.server.url.replace(/\/graphql$/, '');
});
afterAll(() => app.stop());

const PATHS = ['/console', '/graphql', '/v2', '/healthz', '/readyz'];

it('answers JSON naming each path, and each answers', async () => {
  const res = await fetch(`${base}/`);
  expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/json; charset=utf-8']);
  const body = (await res.json()) as { name: string; version: string; links: { path: string; what: string }[] };
  expect(body).toMatchObject({ name: 'maas', version: expect.any(String) });
  expect(body.links.map((l) => l.path)).toEqual(PATHS);
  for (const path of PATHS) {
    const answer = await fetch(base + path, { headers: { accept: 'text/html' } });
    expect([path, answer.status]).toEqual([path, 200]);
  }
});

it('answers a browser with an HTML page of links that loads nothing', async () => {
  const res = await fetch(`${base}/`, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
  expect([res.status, res.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
  expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
  const html = await res.text();
  for (const path of PATHS) expect(html).toContain(`<a href="${path}">${path}</a>`);
  expect(html).not.toMatch(/<script|<style|<link/);
});
