/**
 * JWTs issued for an API key. One algorithm, pinned on verify (no `none`, no HS/RS confusion):
 * HS256 with JWT_SECRET, or RS256 with JWT_PRIVATE_KEY / JWT_PUBLIC_KEY when those are set.
 * `iss`, `aud`, `exp` and `iat` are set and checked. The tenant comes from the token's claims.
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

/** @throws AppError UNAUTHENTICATED for a bad signature, algorithm, issuer, audience or an expired token. */
export function verifyToken(settings: JwtSettings, token: string): TokenClaims {
  try {
    const payload = jwt.verify(token, settings.verifyKey, {
      algorithms: [settings.algorithm],
      issuer: settings.issuer,
      audience: settings.audience,
    }) as jwt.JwtPayload;
    if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || !Array.isArray(payload.scopes) || typeof payload.iat !== 'number') {
      throw new Error('missing claims');
    }
    return { sub: payload.sub, tid: payload.tid, scopes: payload.scopes as Scope[], exp: payload.exp };
  } catch (err) {
    const reason = err instanceof jwt.TokenExpiredError ? 'the token has expired' : 'the token is invalid';
    throw new AppError('UNAUTHENTICATED', `Authentication failed: ${reason}`);
  }
}
