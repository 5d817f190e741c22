/**
 * The GraphQL explorer a browser gets at GET /graphql (config GRAPHQL_EXPLORER):
 * - `graphiql`: GraphiQL bundled from npm into dist/explorer/ by scripts/build-explorer.mjs (run by
 *   `npm run build` and the test setup), its page rendered by Apollo's landing-page hook and its
 *   scripts, styles, fonts and Monaco workers served from {@link EXPLORER_ASSETS_PATH}: nothing comes
 *   from another host, so it works offline.
 * - `sandbox`: Apollo's Sandbox, embedded from Apollo's servers (needs the internet).
 * - `off`: no page (a browser's GET gets Apollo's 400 "GET query missing").
 */
import { assetsOnly, gzipped } from './console';
import fs from 'node:fs';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import express from 'express';
import type { GraphqlExplorer } from '../config';
import { projectRoot } from '../lib/paths';

/** URL path of the explorer's static files (absolute: the page is served at /graphql). */
export const EXPLORER_ASSETS_PATH = '/graphql-explorer';

/** Folder of the built explorer (scripts/build-explorer.mjs writes it). */
export const explorerDir = (): string => path.join(projectRoot(), 'dist', 'explorer');

/**
 * The explorer's page: the built index.html with the endpoint and the asset path filled in.
 * @throws Error naming `npm run build:explorer` when the explorer has not been built.
 */
export function explorerHtml(endpoint = '/graphql'): string {
  const file = path.join(explorerDir(), 'index.html');
  if (!fs.existsSync(file)) {
    throw new Error(
      `GRAPHQL_EXPLORER=graphiql but the explorer is not built (${file} is missing): run \`npm run build:explorer\` (or \`npm run build\`), or set GRAPHQL_EXPLORER=off`,
    );
  }
  return fs.readFileSync(file, 'utf8').replaceAll('__ENDPOINT__', endpoint).replaceAll('__ASSETS__', EXPLORER_ASSETS_PATH);
}

/**
 * The explorer page's Content-Security-Policy. GraphiQL: everything from this origin (scripts,
 * Monaco's workers, fonts, the fetch and websocket to /graphql), inline styles (GraphiQL and Monaco
 * set them), never framed by another page. Sandbox: its script and frame come from Apollo's hosts,
 * so only framing, `<base>` and plugins are restricted.
 */
export function explorerCsp(explorer: GraphqlExplorer): string {
  const always = "frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
  if (explorer === 'sandbox') return always;
  return `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; worker-src 'self'; connect-src 'self'; ${always}`;
}

/**
 * Before Apollo on /graphql: a GET that accepts HTML (the request Apollo answers with the landing
 * page) gets {@link explorerCsp} and `Referrer-Policy: no-referrer`, as the console page does. Other
 * requests are untouched; with GRAPHQL_EXPLORER=off there is no page and nothing is added.
 */
export function explorerPageHeaders(explorer: GraphqlExplorer): express.RequestHandler {
  const csp = explorerCsp(explorer);
  return (req, res, next) => {
    if (explorer !== 'off' && req.method === 'GET' && (req.headers.accept ?? '').includes('text/html')) {
      res.set({ 'content-security-policy': csp, 'referrer-policy': 'no-referrer' });
    }
    next();
  };
}

/** The Apollo plugin that renders (or disables) the landing page chosen by GRAPHQL_EXPLORER. */
export function explorerLandingPage(explorer: GraphqlExplorer): ApolloServerPlugin {
  if (explorer === 'sandbox') return ApolloServerPluginLandingPageLocalDefault({ embed: true });
  if (explorer === 'off') return ApolloServerPluginLandingPageDisabled();
  const html = explorerHtml();
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}

/**
 * Mounts the explorer's static files at {@link EXPLORER_ASSETS_PATH} when GRAPHQL_EXPLORER=graphiql
 * (nothing otherwise, so they answer 404). Scripts and style sheets go gzipped to a browser that
 * accepts it (the build's `.gz` copies), as the console's do: the page's script and styles are
 * 5.9 MB as built and 1.8 MB gzipped, 7.2 MB and 2.2 MB with Monaco's workers (test/explorer.spec.ts).
 */
export function mountExplorerAssets(app: express.Express, explorer: GraphqlExplorer): void {
  if (explorer !== 'graphiql') return;
  app.use(EXPLORER_ASSETS_PATH, assetsOnly, gzipped(explorerDir()), express.static(explorerDir(), { index: false, dotfiles: 'ignore', maxAge: '1h' }));
}
