/** API keys of a tenant (the cross-tenant lookup by prefix for authentication is in AuthService). */
import type { Tx } from '../../lib/tenant-tx';
import type { Scope } from './actor';

const publicFields = { id: true, name: true, prefix: true, scopes: true, expiresAt: true, revokedAt: true, createdAt: true } as const;

export class ApiKeyRepo {
  create(tx: Tx, tenantId: string, key: { name: string; prefix: string; hash: string; scopes: Scope[]; expiresAt: Date | null }) {
    return tx.apiKey.create({ data: { ...key, tenantId }, select: publicFields });
  }

  list(tx: Tx, tenantId: string) {
    return tx.apiKey.findMany({ where: { tenantId }, select: publicFields, orderBy: { createdAt: 'asc' } });
  }

  find(tx: Tx, tenantId: string, id: string) {
    return tx.apiKey.findFirst({ where: { tenantId, id }, select: publicFields });
  }

  /** Sets revokedAt once; returns false when already revoked. */
  async revoke(tx: Tx, tenantId: string, id: string) {
    const { count } = await tx.apiKey.updateMany({ where: { tenantId, id, revokedAt: null }, data: { revokedAt: new Date() } });
    return count === 1;
  }
}
