/**
 * Environment variables of the public HTTP surface: /metrics, CORS, the GraphQL explorer and request limits.
 * Part of the configuration schema (src/config.ts spreads it in); only parses the environment.
 */
import { z } from 'zod';
import { bool } from './bool';

/** httpEnv: zod parsers keyed by environment variable, each documented with its default. */
export const httpEnv = {
  /**
   * Bearer token for /metrics (`Authorization: Bearer <token>`). When set, /metrics answers 401
   * without it. (Default: unset: /metrics is open outside production and absent from the public
   * listener in production)
   */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Serve /metrics on this separate port (and not on the public one). 0 picks a free one. (Default: unset) */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Interface of the METRICS_PORT listener. (Default: 127.0.0.1, this machine only) */
  METRICS_HOST: z.string().default('127.0.0.1'),
  /** Label per-tenant metrics with tenant ids and model names. (Default: false) */
  METRICS_TENANT_LABELS: bool.default(false),
  /**
   * Origins allowed to call /graphql from a browser (CORS): `*`, or a comma-separated list of
   * origins such as `https://app.example.com,https://admin.example.com`. (Default: `*` outside
   * production; none in production, so browsers on other origins are refused)
   */
  CORS_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o)), 'each origin is `*` or scheme://host[:port], without a path')
    .optional(),
  /**
   * What a browser sees at GET /graphql: `graphiql` (the offline GraphQL explorer served from this
   * process, dist/explorer/), `sandbox` (Apollo's hosted Sandbox, which needs the internet) or `off`
   * (no page). Any but `off` implies introspection. (Default: graphiql, off when NODE_ENV=production)
   */
  GRAPHQL_EXPLORER: z.enum(['graphiql', 'sandbox', 'off']).optional(),
  /**
   * Deprecated alias kept for old deployments: `true` reads as GRAPHQL_EXPLORER=sandbox, `false` as
   * `off`; ignored when GRAPHQL_EXPLORER is set.
   */
  GRAPHQL_SANDBOX: bool.optional(),
  /**
   * Answer POST and GET /graphql on Node's HTTP server with Apollo's own request handling, without
   * express in front (src/graphql/fast-graphql.ts; the same checks, errors and context). `false`
   * sends them through express like the other routes, as before. (Default: true)
   */
  GRAPHQL_FAST_PATH: bool.default(true),
  /**
   * Answer the V2 routes on Node's HTTP server without express in front: infer (src/rest/v2/fast-infer.ts)
   * and the reads — health, server and model metadata, readiness, CORS preflights (fast-reads.ts) —
   * with the same checks, errors and headers. `false` sends every V2 request through express
   * (src/rest/v2/routes.ts), as the binary data extension and browsers' infer calls always go. (Default: true)
   */
  V2_FAST_PATH: bool.default(true),
  /**
   * The web console (/console) offers "Sign in as admin" with the admin secret (ADMIN_SECRET): the
   * tenants, their API keys and limits. Only what the console offers: the admin fields answer the
   * X-Admin-Secret header either way (the CLI, scripts). Read by browsers from
   * `serverInfo.consoleAdminSignIn`. (Default: true, false when NODE_ENV=production)
   */
  CONSOLE_ADMIN_SIGN_IN: bool.optional(),
  /** Answer introspection queries. (Default: true unless GRAPHQL_EXPLORER is off) */
  GRAPHQL_INTROSPECTION: bool.optional(),
  /** Suggest field names ("did you mean …") in validation errors. (Default: true, false when NODE_ENV=production) */
  GRAPHQL_FIELD_SUGGESTIONS: bool.optional(),
  /**
   * Most tokens in one GraphQL document; longer ones are refused while parsing (GRAPHQL_PARSE_FAILED),
   * before validation work that grows with the square of the field count. (Default: 3000)
   */
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(1_000_000).default(3000),
  /**
   * Deepest bracket nesting (`{`, `[`, `(`: selections, list and object literals, arguments) of a
   * GraphQL document, checked on the text before parsing: graphql-js' parser and value walkers
   * recurse once per level and overflow the stack near 2,500 levels. (Default: 100)
   */
  GRAPHQL_MAX_NESTING: z.coerce.number().int().min(16).max(1000).default(100),
  /** Deepest selection nesting a query may have. (Default: 10) */
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).default(10),
  /**
   * Most an operation may cost (src/graphql/query-cost.ts: a field 1 plus what it selects; a
   * connection 2 plus its first/last, default 20, times what its edges select). (Default: 5000)
   */
  GRAPHQL_MAX_COST: z.coerce.number().int().min(10).default(5000),
  /**
   * Most values one answer may hold, counted while it is built (src/graphql/answer-size.ts: every
   * list's items × the fields its selection asks for): plain lists are as long as the data, which
   * the cost above cannot know. About 1 µs of the event loop per value, so the default holds it
   * ~0.25 s at most; a 5,000-column dataset's full profile (~440,000) is refused, its columns'
   * names and types are not. (Default: 250,000)
   */
  GRAPHQL_MAX_ANSWER_VALUES: z.coerce.number().int().min(1000).default(250_000),
  /** Most aliases in one operation. (Default: 15) */
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(1).default(15),
  /**
   * HTTP requests one tenant may have in progress at once on one API process, counted from the
   * moment the credential is checked (before the body is read) until the answer is written; past
   * it a request is refused at once with 429 QUOTA_EXCEEDED (`reason` IN_FLIGHT,
   * `retryAfterSeconds`), so one tenant's many heavy calls cannot fill the event loop every
   * tenant shares (src/modules/quotas/requests-in-flight.ts). The default leaves room for a client
   * that keeps 64 small predictions in flight (the serving goals are measured so). The operator sets
   * it per tenant with setTenantLimits (`maxRequestsInFlight`). (Default: 64)
   */
  TENANT_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(1_000_000).default(64),
  /**
   * HTTP requests in progress at once per client address (TRUST_PROXY_HOPS) on one API process that
   * carry no credential, or one that does not authenticate (no tenant is known to count them
   * against): health checks, the explorer, `serverInfo`, operator calls, failed logins. Past it a
   * request is refused at once with 429 QUOTA_EXCEEDED (`reason` IN_FLIGHT_UNAUTHENTICATED), its body
   * unread, so one address cannot hold the process with many slow anonymous bodies. Behind a proxy,
   * set TRUST_PROXY_HOPS, or every client shares the proxy's address. (Default: 32)
   */
  ADDRESS_MAX_IN_FLIGHT_UNAUTHENTICATED: z.coerce.number().int().min(1).max(1_000_000).default(32),
  /**
   * Threads per API process that encode the JSON of large model answers (an `infer` output of more
   * than 16,384 numbers, e.g. super-resolution's ~9 MB), so the event loop that serves every tenant
   * only writes finished bytes (src/modules/serving/answer-encoder.ts). (Default: 1)
   */
  ANSWER_THREADS: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * JSON request bodies of at least this many bytes (GraphQL POST, V2 infer) are depth-checked and
   * parsed on the answer threads, taken in turn per tenant, instead of on the event loop every
   * tenant shares (src/graphql/json-body-threads.ts); smaller ones are parsed inline, where a
   * thread hop would cost more than the parse. 0 parses every body inline. (Default: 65,536)
   */
  JSON_BODY_THREAD_BYTES: z.coerce.number().int().min(0).default(65_536),
  /** Largest JSON request body and websocket message, bytes (uploads have MAX_UPLOAD_BYTES). (Default: 10 MiB) */
  MAX_REQUEST_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
} satisfies z.ZodRawShape;
