/**
 * Who is calling. Resolved once per HTTP request and once per websocket connection
 * (src/graphql/context.ts), then passed explicitly to every service call.
 */
export const SCOPES = ['datasets:read', 'datasets:write', 'training:read', 'training:run', 'models:read', 'models:write', 'predict', 'admin'] as const;

export type Scope = (typeof SCOPES)[number];

export interface Actor {
  kind: 'user' | 'apiKey' | 'system';
  /** API key id (for JWTs, the key the token was issued for), or 'system'. */
  id: string;
  tenantId: string;
  scopes: readonly Scope[];
  /** When the credential stops being valid (key expiry or token expiry), if ever. */
  expiresAt?: Date;
  /**
   * When this server stops accepting the credential, if ever: `expiresAt`, except that a JWT's `exp`
   * is accepted for JWT_CLOCK_SKEW_SECONDS more (src/modules/auth/jwt.ts). A websocket is closed then.
   */
  acceptedUntil?: Date;
  /** True when the credential is a JWT (issued by issueToken), not the API key itself. */
  viaToken?: boolean;
}

/** True when the actor holds `scope` or `admin`. */
export function hasScope(actor: Actor, scope: Scope): boolean {
  return actor.scopes.includes('admin') || actor.scopes.includes(scope);
}

/** The actor job handlers act as: all rights, one tenant. */
export function systemActor(tenantId: string): Actor {
  return { kind: 'system', id: 'system', tenantId, scopes: ['admin'] };
}
