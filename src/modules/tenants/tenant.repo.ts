/** Tenants and their keys. Creating a tenant is the one write that has no tenant yet. */
import { Prisma } from '../../generated/prisma/client';
import type { Db } from '../../lib/db';
import { AppError, notFound, quote } from '../../lib/errors';
import type { Scope } from '../auth/actor';
import type { PageWindow } from '../common/keyset';
import { nameContains } from '../common/name-filter';
import { readPage, type PageableTable } from '../common/page.repo';

/** A tenant's first API key, hashed. */
export interface KeyInput {
  name: string;
  prefix: string;
  hash: string;
  scopes: readonly Scope[];
  expiresAt?: Date;
}

export class TenantRepo {
  constructor(private readonly prisma: Db) {}

  /**
   * Creates the tenant and its first key in one transaction.
   * @throws AppError CONFLICT when the name is taken, in any case (unique index on lower(name)).
   */
  async createWithKey(name: string, key: KeyInput) {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const tenant = await tx.tenant.create({ data: { name } });
        const created = await tx.apiKey.create({ data: { ...key, scopes: [...key.scopes], tenantId: tenant.id } });
        await tx.auditLog.create({
          data: {
            tenantId: tenant.id,
            actorKind: 'system',
            actorId: 'admin-secret',
            action: 'apiKey.created',
            targetType: 'ApiKey',
            targetId: created.id,
            details: { name: key.name, scopes: [...key.scopes] },
          },
        });
        return tenant;
      });
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        throw new AppError('CONFLICT', `A tenant named ${quote(name)} already exists (names are compared without regard to case)`);
      }
      throw err;
    }
  }

  /** The tenant row, or null. */
  findById(tenantId: string) {
    return this.prisma.tenant.findUnique({ where: { id: tenantId } });
  }

  /**
   * The tenant row.
   * @throws AppError NOT_FOUND when there is none (ids are UUIDs: anything else, a NUL or a huge
   *   string, is simply not found).
   */
  async require(tenantId: string) {
    const tenant = /^[0-9a-f-]{36}$/i.test(tenantId) ? await this.findById(tenantId) : null;
    if (!tenant) throw notFound('Tenant', tenantId);
    return tenant;
  }

  /**
   * One keyset page of every tenant (newest first), for the operator; `name` matches part of the
   * name, any case. Not in a tenant transaction: the operator sees across tenants.
   */
  page(filter: { name?: string }, window: PageWindow) {
    const where = filter.name ? { name: nameContains(filter.name) } : {};
    const table: PageableTable<{ id: string; name: string; createdAt: Date }> = {
      findMany: (args) => this.prisma.tenant.findMany(args),
      count: (args) => this.prisma.tenant.count(args),
    };
    return readPage(table, where, window);
  }
}
