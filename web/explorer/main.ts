/**
 * The offline GraphQL explorer: GraphiQL (npm package `graphiql`) on this server's /graphql, queries
 * over HTTP and subscriptions over graphql-ws, bundled by scripts/build-explorer.mjs into
 * dist/explorer/ so the page loads nothing from another host.
 *
 * The API key is typed into the header editor; GraphiQL sends it as a header (HTTP) or in the
 * websocket's connection parameters, and keeps it out of the URL and out of localStorage
 * (`shouldPersistHeaders` is false, and history is stored without headers: storage.ts).
 */
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';
import { headerFreeStorage } from './storage';
import './workers';

/** The page's endpoint: the server writes it into `<meta name="graphql-endpoint">`. */
const endpoint = new URL(document.querySelector<HTMLMetaElement>('meta[name="graphql-endpoint"]')?.content ?? '/graphql', location.href);
const subscriptionUrl = new URL(endpoint);
subscriptionUrl.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';

const fetcher = createGraphiQLFetcher({ url: endpoint.href, subscriptionUrl: subscriptionUrl.href, enableIncrementalDelivery: false });

const DEFAULT_QUERY = `# No GraphQL needed for the main job: the web console is at /console.
# Put your API key in the Headers tab below ("Bearer <your API key>"), then run this.
# Subscriptions (e.g. trainingProgress) run over a websocket with the same header.
query Datasets {
  serverInfo { version }
  datasetsConnection(first: 5) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id name createdAt } }
  }
}
`;

const DEFAULT_HEADERS = JSON.stringify({ Authorization: 'Bearer <your API key>' }, null, 2);

createRoot(document.getElementById('graphiql')!).render(
  createElement(GraphiQL, {
    fetcher,
    defaultQuery: DEFAULT_QUERY,
    defaultHeaders: DEFAULT_HEADERS,
    shouldPersistHeaders: false,
    storage: headerFreeStorage(),
    defaultEditorToolsVisibility: 'headers',
    // The logo corner links to the web console (src/graphql/console.ts), which needs no GraphQL.
    children: createElement(
      GraphiQL.Logo,
      null,
      'GraphiQL · ',
      createElement('a', { href: '/console', title: 'Datasets, training runs, models and predictions without writing GraphQL' }, 'Open the console'),
    ),
  }),
);
