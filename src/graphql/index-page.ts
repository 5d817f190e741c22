/**
 * GET / : a small index of what this port serves, so a browser (or `curl`) opening the server's
 * root finds the console, the GraphQL endpoint and its explorer, the Open Inference Protocol and
 * the health checks instead of express' "Cannot GET /". JSON by default; HTML (no script, no
 * style, a Content-Security-Policy allowing nothing to load) to a client that prefers it.
 * Public: it holds no tenant data, only paths.
 */
import type express from 'express';
import type { GraphqlExplorer } from '../config';
import { CONSOLE_PATH } from './console';

/** One entry of the index: a path and what it is. */
interface IndexLink {
  path: string;
  what: string;
}

/** The entries, in the order a newcomer needs them. */
export function indexLinks(explorer: GraphqlExplorer): IndexLink[] {
  return [
    { path: CONSOLE_PATH, what: 'web console: sign in with an API key (upload, train, inspect, predict)' },
    {
      path: '/graphql',
      what: explorer === 'off' ? 'GraphQL API (POST; the explorer is off: GRAPHQL_EXPLORER)' : 'GraphQL API (POST), and its explorer in a browser (GET)',
    },
    { path: '/v2', what: 'Open Inference Protocol (KServe V2) REST API: /v2/models/{name}, /v2/models/{name}/infer' },
    { path: '/healthz', what: 'liveness' },
    { path: '/readyz', what: 'readiness (the database answers)' },
  ];
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Mounts GET / (JSON, or HTML to a client that prefers it). */
export function mountIndex(app: express.Express, explorer: GraphqlExplorer, version: string): void {
  const links = indexLinks(explorer);
  const json = { name: 'maas', version, links };
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MaaS</title></head><body>',
    `<h1>MaaS ${escapeHtml(version)}</h1><ul>`,
    ...links.map((l) => `<li><a href="${escapeHtml(l.path)}">${escapeHtml(l.path)}</a>: ${escapeHtml(l.what)}</li>`),
    '</ul></body></html>',
  ].join('');
  app.get('/', (req, res) => {
    res.set({ 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    if (req.accepts(['json', 'html']) === 'html') {
      res.set({ 'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'", 'referrer-policy': 'no-referrer' }).type('html').send(html);
      return;
    }
    res.json(json);
  });
}
