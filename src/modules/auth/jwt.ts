/**
 * JWTs issued for an API key. One algorithm, pinned on verify (no `none`, no HS/RS confusion):
 * HS256 with JWT_SECRET, or RS256 with JWT_PRIVATE_KEY / JWT_PUBLIC_KEY when those are set.
 * `iss`, `aud`, `exp` and `iat` are set and checked. The tenant comes from the token's claims.
 *
 * A token is refused unless it carries `exp` and `iat`, `iat` is not in the future, and its
 * lifetime (`exp - iat`) is at most `maxLifetimeSeconds`; `clockSkewSeconds` of tolerance apply to
 * `exp`, `nbf` and `iat` (RFC 7519 §4.1.4: "some small leeway ... to account for clock skew").
 */
import jwt from 'jsonwebtoken';
import { AppError } from '../../lib/errors';
import type { Scope } from './actor';

export interface JwtSettings {
  algorithm: 'HS256' | 'RS256';
  /** HS256: the shared secret; RS256: the PEM private key. */
  signingKey: string;
  /** HS256: the shared secret; RS256: the PEM public key. */
  verifyKey: string;
  ttlSeconds: number;
  /** Longest accepted lifetime, `exp - iat`, seconds (JWT_MAX_LIFETIME_SECONDS). */
  maxLifetimeSeconds: number;
  /** Tolerance for clocks that differ between issuer and verifier, seconds (JWT_CLOCK_SKEW_SECONDS). */
  clockSkewSeconds: number;
  issuer: string;
  audience: string;
}

export interface TokenClaims {
  /** API key id. */
  sub: string;
  /** Tenant id. */
  tid: string;
  scopes: Scope[];
  /** Expiry, seconds since the epoch (set on verify). */
  exp?: number;
}

/** @returns the signed token and its expiry. */
export function signToken(settings: JwtSettings, claims: TokenClaims): { token: string; expiresAt: Date } {
  const token = jwt.sign({ tid: claims.tid, scopes: claims.scopes }, settings.signingKey, {
    algorithm: settings.algorithm,
    subject: claims.sub,
    expiresIn: settings.ttlSeconds,
    issuer: settings.issuer,
    audience: settings.audience,
  });
  const { exp } = jwt.decode(token) as { exp: number };
  return { token, expiresAt: new Date(exp * 1000) };
}

/** Why a well-signed token is still refused, or undefined when its times are acceptable. */
function badTimes(settings: JwtSettings, payload: jwt.JwtPayload, nowSeconds: number): string | undefined {
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) return 'the token has no expiry (exp)';
  if (typeof payload.iat !== 'number' || !Number.isFinite(payload.iat)) return 'the token has no issue time (iat)';
  if (payload.iat > nowSeconds + settings.clockSkewSeconds) return 'the token is issued in the future (iat)';
  if (payload.exp - payload.iat > settings.maxLifetimeSeconds) {
    return `the token's lifetime of ${payload.exp - payload.iat} s exceeds the maximum of ${settings.maxLifetimeSeconds} s`;
  }
  return undefined;
}

/**
 * @throws AppError UNAUTHENTICATED for a bad signature, algorithm, issuer or audience, an expired
 *   token, a token without `exp` or `iat`, issued in the future, or living longer than allowed.
 */
export function verifyToken(settings: JwtSettings, token: string, nowSeconds = Math.floor(Date.now() / 1000)): TokenClaims {
  let payload: jwt.JwtPayload;
  try {
    payload = jwt.verify(token, settings.verifyKey, {
      algorithms: [settings.algorithm],
      issuer: settings.issuer,
      audience: settings.audience,
      clockTolerance: settings.clockSkewSeconds,
      clockTimestamp: nowSeconds,
    }) as jwt.JwtPayload;
  } catch (err) {
    const reason = err instanceof jwt.TokenExpiredError ? 'the token has expired' : 'the token is invalid';
    throw new AppError('UNAUTHENTICATED', `Authentication failed: ${reason}`);
  }
  const times = badTimes(settings, payload, nowSeconds);
  if (times) throw new AppError('UNAUTHENTICATED', `Authentication failed: ${times}`);
  if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || !Array.isArray(payload.scopes)) {
    throw new AppError('UNAUTHENTICATED', 'Authentication failed: the token is invalid');
  }
  return { sub: payload.sub, tid: payload.tid, scopes: payload.scopes as Scope[], exp: payload.exp };
}
