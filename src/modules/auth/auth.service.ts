/**
 * Authentication: `Authorization: Bearer <API key | JWT>` -> {@link Actor}.
 * The same function serves HTTP requests and websocket connections.
 */
import type { Db } from '../../lib/db';
import { AppError } from '../../lib/errors';
import { SingleFlight } from '../../lib/single-flight';
import { withTenant } from '../../lib/tenant-tx';
import type { AuditRepo } from '../audit/audit.repo';
import { type Actor, type Scope } from './actor';
import type { ApiKeyRepo } from './api-key.repo';
import { hashKey, parseApiKey, sameHash } from './api-key';
import { signToken, verifyToken, type JwtSettings } from './jwt';

const unauthenticated = (why: string) => new AppError('UNAUTHENTICATED', `Authentication failed: ${why}`);

interface KeyRow {
  id: string;
  tenantId: string;
  hash: string;
  scopes: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/**
 * How long a verified credential is reused without a database lookup, ms. Revocations reach every
 * process at once over pub/sub ({@link AuthService.forgetKey}), so this only bounds the cost of a
 * lost notification.
 */
const CACHE_MS = 30_000;
const CACHE_MAX = 10_000;
/**
 * How long a refused credential is refused again without a lookup, ms, and how many are kept. Each
 * HTTP request's credential is checked twice — by the in-flight guard, before the body is read, and
 * by its route — and a credential that fails would be looked up both times (issue 10, review F11);
 * a client repeating a bad key would cost a database read per try. A refusal is final for what it
 * names (unknown, revoked, expired, malformed) except a token issued ahead of this server's clock,
 * refused for at most this long more. At most 1,000 entries of at most MAX_AUTHORIZATION_CHARS each.
 */
const REFUSED_MS = 2_000;
const REFUSED_MAX = 1_000;
/** Longest Authorization value read: API keys are ~60 characters and our JWTs well under 2,000. */
const MAX_AUTHORIZATION_CHARS = 8192;

/**
 * Resolves credentials to actors, with a short per-process cache. Key lookups are by prefix or id
 * across tenants (the tenant is not known before the credential is checked).
 */
export class AuthService {
  private readonly cache = new Map<string, { actor: Actor; until: number }>();
  /** Credentials refused lately, with the refusal ({@link REFUSED_MS}). */
  private readonly refused = new Map<string, { error: AppError; until: number }>();
  /** Lookups in flight by credential: the requests that find it uncached at once share one (single-flight.ts). */
  private readonly lookups = new SingleFlight<Actor>();
  /** Counts revocations: a lookup that started before one is not cached (it may have read the key before it was revoked). */
  private revocations = 0;

  constructor(
    private readonly prisma: Db,
    private readonly keys: ApiKeyRepo,
    private readonly jwt: JwtSettings,
    private readonly audit: AuditRepo,
  ) {}

  /**
   * @param authorization the raw header value, e.g. `Bearer mk_…` or `Bearer eyJ…`.
   * @returns undefined when no credential is presented (public fields may still be called).
   * @throws AppError UNAUTHENTICATED for a malformed, unknown, revoked or expired credential.
   */
  async authenticate(authorization: string | undefined): Promise<Actor | undefined> {
    if (!authorization) return undefined;
    // Checked before the regular expression and the JWT decoder see it (websocket connectionParams are not bounded by HTTP's header limit).
    if (authorization.length > MAX_AUTHORIZATION_CHARS)
      throw unauthenticated(`the Authorization value is ${authorization.length} characters long; at most ${MAX_AUTHORIZATION_CHARS}`);
    const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!m) throw unauthenticated("use 'Authorization: Bearer <API key or token>'");
    const credential = m[1];
    const now = Date.now();
    const hit = this.cache.get(credential);
    if (hit && hit.until > now && (!hit.actor.acceptedUntil || hit.actor.acceptedUntil.getTime() > now)) return hit.actor;
    const refusal = this.refused.get(credential);
    if (refusal && refusal.until > now) throw refusal.error;
    return this.lookups.run(credential, async () => {
      const revocations = this.revocations;
      let actor: Actor;
      try {
        actor = credential.startsWith('mk_') ? await this.fromApiKey(credential) : await this.fromToken(credential);
      } catch (err) {
        if (err instanceof AppError && err.code === 'UNAUTHENTICATED') {
          if (this.refused.size >= REFUSED_MAX) this.refused.clear();
          this.refused.set(credential, { error: err, until: now + REFUSED_MS });
        }
        throw err;
      }
      if (revocations === this.revocations) {
        if (this.cache.size >= CACHE_MAX) this.cache.clear();
        this.cache.set(credential, { actor, until: now + CACHE_MS });
      }
      return actor;
    });
  }

  /** Drops cached credentials of a revoked key (called for every revocation, from any process). */
  forgetKey(apiKeyId: string): void {
    this.revocations++;
    this.lookups.forget(() => true);
    for (const [credential, { actor }] of this.cache) if (actor.id === apiKeyId) this.cache.delete(credential);
  }

  private async fromToken(credential: string): Promise<Actor> {
    const claims = verifyToken(this.jwt, credential);
    const key = await this.keys.findById(this.prisma, claims.sub);
    if (!key || key.tenantId !== claims.tid) throw unauthenticated('the token is invalid');
    this.checkUsable(key);
    const scopes = claims.scopes.filter((s) => key.scopes.includes(s));
    const earliest = (...times: (number | undefined)[]) => {
      const set = times.filter((t): t is number => t !== undefined);
      return set.length ? new Date(Math.min(...set)) : undefined;
    };
    const exp = claims.exp !== undefined ? claims.exp * 1000 : undefined;
    // verifyToken accepts the token until exp + clock skew; the key's own expiry is this server's clock (no skew).
    const acceptedUntil = earliest(key.expiresAt?.getTime(), exp !== undefined ? exp + this.jwt.clockSkewSeconds * 1000 : undefined);
    return { kind: 'apiKey', id: key.id, tenantId: key.tenantId, scopes, expiresAt: earliest(key.expiresAt?.getTime(), exp), acceptedUntil, viaToken: true };
  }

  /**
   * Issues a short-lived JWT carrying the actor's tenant and scopes (never outliving the key); audited.
   * Only for the API key itself: a token cannot mint the next one, so a stolen token ends at its `exp`
   * (review 2, N7: tokens renewed themselves until the key was revoked).
   * @throws AppError UNAUTHENTICATED when the key has expired; FORBIDDEN when called with a token.
   */
  async issueToken(actor: Actor): Promise<{ token: string; expiresAt: Date }> {
    if (actor.viaToken) throw new AppError('FORBIDDEN', 'issueToken takes the API key itself: a token cannot issue another token');
    const ttl = actor.expiresAt ? Math.min(this.jwt.ttlSeconds, Math.floor((actor.expiresAt.getTime() - Date.now()) / 1000)) : this.jwt.ttlSeconds;
    if (ttl <= 0) throw unauthenticated('the API key has expired');
    const issued = signToken({ ...this.jwt, ttlSeconds: ttl }, { sub: actor.id, tid: actor.tenantId, scopes: [...actor.scopes] });
    await withTenant(this.prisma, actor.tenantId, (tx) =>
      this.audit.record(tx, actor, { action: 'token.issued', targetType: 'ApiKey', targetId: actor.id, details: { expiresAt: issued.expiresAt.toISOString() } }),
    );
    return issued;
  }

  private async fromApiKey(key: string): Promise<Actor> {
    const parsed = parseApiKey(key);
    if (!parsed) throw unauthenticated('the API key is malformed');
    const row = await this.keys.findByPrefix(this.prisma, parsed.prefix);
    if (!row || !sameHash(row.hash, hashKey(key))) throw unauthenticated('the API key is not valid');
    this.checkUsable(row);
    const expiresAt = row.expiresAt ?? undefined;
    return { kind: 'apiKey', id: row.id, tenantId: row.tenantId, scopes: row.scopes as Scope[], expiresAt, acceptedUntil: expiresAt };
  }

  private checkUsable(key: KeyRow): void {
    if (key.revokedAt) throw unauthenticated('the API key has been revoked');
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) throw unauthenticated('the API key has expired');
  }
}
