/**
 * Environment variables of authentication: the admin secret, JWTs, and websocket admission.
 * Part of the configuration schema (src/config.ts spreads it in); only parses the environment.
 */
import { z } from 'zod';

/** authEnv: zod parsers keyed by environment variable, each documented with its default. */
export const authEnv = {
  /** Secret for `createTenant` (header `X-Admin-Secret`). Generated into .data/ when unset outside production. */
  ADMIN_SECRET: z.string().min(16).optional(),
  /** Wrong X-Admin-Secret values accepted per client address per hour; then createTenant is refused from it until the hour ends. (Default: 10) */
  ADMIN_FAILURES_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(10),
  /** Tenants created per hour, across all API processes. (Default: 100) */
  TENANTS_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(100),
  /** Reverse proxies in front of the API whose X-Forwarded-For is trusted for the client address. (Default: 0) */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * Failed authentications (bad API key or JWT, wrong METRICS_TOKEN) per client address within
   * AUTH_FAILURE_WINDOW_SECONDS; past it, further failures from the address get QUOTA_EXCEEDED with
   * retryAfterSeconds, while valid credentials keep working. (Default: 50)
   */
  AUTH_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000_000).default(50),
  /** Window of AUTH_FAILURES_PER_ADDRESS, seconds. (Default: 600) */
  AUTH_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /** HMAC secret for JWTs (HS256). Generated into .data/ when unset outside production. */
  JWT_SECRET: z.string().min(32).optional(),
  /** PEM key pair for RS256 JWTs; when both are set they replace JWT_SECRET (HS256). */
  JWT_PRIVATE_KEY: z.string().optional(),
  JWT_PUBLIC_KEY: z.string().optional(),
  /** JWT lifetime, seconds. (Default: 900 = 15 min) */
  JWT_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
  /** Longest lifetime (`exp - iat`) an accepted JWT may have, seconds; longer ones are refused. (Default: 86,400 = 1 day) */
  JWT_MAX_LIFETIME_SECONDS: z.coerce.number().int().min(10).max(31_536_000).default(86_400),
  /**
   * Websocket connections one tenant may hold open on one API process; the next is closed with 4429.
   * Bounds what one tenant's sockets cost a process shared with others. (Default: 100)
   */
  WS_MAX_SOCKETS_PER_TENANT: z.coerce.number().int().min(1).max(1_000_000).default(100),
  /**
   * Websockets one client address (TRUST_PROXY_HOPS) may hold open on one API process without an
   * accepted credential: from the upgrade until connection_init authenticates, and for good when it
   * sends none or a wrong one. The next is closed with 4429; authenticated sockets do not count.
   * (Default: 50)
   */
  WS_MAX_UNAUTHENTICATED_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(50),
  /** How long a websocket may wait before sending connection_init, ms; then graphql-ws closes it with 4408. (Default: 3000) */
  WS_CONNECTION_INIT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
  /** Operations (subscriptions, queries) running at once on one websocket; the next gets QUOTA_EXCEEDED. (Default: 100) */
  WS_MAX_OPERATIONS_PER_SOCKET: z.coerce.number().int().min(1).max(100_000).default(100),
  /**
   * Bytes of answers one websocket may have waiting to be written (a client that does not read
   * them: review 3 grew a server by 2 GB with 40 large answers on a paused socket). Past it, and past
   * WS_MAX_BUFFERED_BYTES_PER_TENANT over the tenant's sockets, the socket is closed with 4429 and
   * its queued answers dropped. (Default: 16 MiB)
   */
  WS_MAX_BUFFERED_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(16 * 1024 * 1024),
  /** Bytes of answers waiting to be written over all of one tenant's websockets, per API process (see WS_MAX_BUFFERED_BYTES). (Default: 64 MiB) */
  WS_MAX_BUFFERED_BYTES_PER_TENANT: z.coerce
    .number()
    .int()
    .min(1)
    .default(64 * 1024 * 1024),
  /**
   * Websocket messages one tenant's sockets are read at, per second per API process (a socket not
   * authenticated yet: its client address'). Past it messages are not refused: they wait, and the
   * socket stops reading until they are read. (Default: 100)
   */
  WS_TENANT_MESSAGES_PER_SECOND: z.coerce.number().min(1).max(1_000_000).default(100),
  /** Websocket messages a tenant may send at once after a quiet spell (the bucket of WS_TENANT_MESSAGES_PER_SECOND). (Default: 200) */
  WS_TENANT_MESSAGE_BURST: z.coerce.number().int().min(1).max(1_000_000).default(200),
  /** Clock skew tolerated on a JWT's `exp`, `nbf` and `iat`, seconds. (Default: 30) */
  JWT_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  JWT_ISSUER: z.string().default('maas'),
  JWT_AUDIENCE: z.string().default('maas-api'),
} satisfies z.ZodRawShape;
