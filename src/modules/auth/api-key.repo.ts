/**
 * API keys: the only code that touches the ApiKey table (besides creating a tenant's first key,
 * TenantRepo). Every method takes the tenant, except the two lookups authentication makes before
 * it knows the tenant ({@link ApiKeyRepo.findByPrefix}, {@link ApiKeyRepo.findById}).
 */
import type { PageWindow } from '../common/keyset';
import { readPage, type PageableTable } from '../common/page.repo';
import type { Db } from '../../lib/db';
import type { Tx } from '../../lib/tenant-tx';
import type { Scope } from './actor';
import { nameContains } from '../common/name-filter';
import { createdWhere, type CreatedFilter } from '../common/created-filter';

const publicFields = { id: true, name: true, prefix: true, scopes: true, expiresAt: true, revokedAt: true, createdAt: true } as const;

/** API key rows; methods with a tenant fold it into their `where`. */
export class ApiKeyRepo {
  /** Stores a key (its hash, never the key). @returns its public fields. */
  create(tx: Tx, tenantId: string, key: { name: string; prefix: string; hash: string; scopes: Scope[]; expiresAt: Date | null }) {
    return tx.apiKey.create({ data: { ...key, tenantId }, select: publicFields });
  }

  /** The tenant's keys, oldest first, public fields only. */
  list(tx: Tx, tenantId: string) {
    return tx.apiKey.findMany({ where: { tenantId }, select: publicFields, orderBy: { createdAt: 'asc' } });
  }

  /** One keyset page of the tenant's keys (newest first), public fields only; `name` matches part of the name, any case. */
  page(tx: Tx, tenantId: string, filter: CreatedFilter & { name?: string }, window: PageWindow) {
    const where = {
      tenantId,
      ...(filter.name ? { name: nameContains(filter.name) } : {}),
      ...createdWhere(filter),
    };
    const table = {
      findMany: (args: { where: object; orderBy: object[]; take: number }) => tx.apiKey.findMany({ ...args, select: publicFields }),
      count: (args: { where: object; take?: number }) => tx.apiKey.count(args),
    };
    return readPage(table as unknown as PageableTable<NonNullable<Awaited<ReturnType<ApiKeyRepo['find']>>>>, where, window);
  }

  /** One of the tenant's keys, public fields only, or null. */
  find(tx: Tx, tenantId: string, id: string) {
    return tx.apiKey.findFirst({ where: { tenantId, id }, select: publicFields });
  }

  /** Sets revokedAt once; returns false when already revoked. */
  async revoke(tx: Tx, tenantId: string, id: string) {
    const { count } = await tx.apiKey.updateMany({ where: { tenantId, id, revokedAt: null }, data: { revokedAt: new Date() } });
    return count === 1;
  }

  /** The key whose public prefix is `prefix`, any tenant (authentication; the hash is then compared). */
  findByPrefix(db: Db, prefix: string) {
    return db.apiKey.findUnique({ where: { prefix } });
  }

  /** The key with id `id`, any tenant (JWT authentication; the caller checks the token's tenant). */
  findById(db: Db, id: string) {
    return db.apiKey.findUnique({ where: { id } });
  }
}
