/**
 * Managing a tenant's API keys (admin scope): create (the key is returned once), list (prefix
 * only), revoke. A revocation is published so every API process closes that key's websockets.
 */
import { nestedList } from '../common/cursor';
import { pageWindow, type PageRequest } from '../common/keyset';
import type { Db } from '../../lib/db';
import { badInput, notFound } from '../../lib/errors';
import type { PubSub } from '../../lib/pubsub';
import { withTenant } from '../../lib/tenant-tx';
import type { AuditRepo } from '../audit/audit.repo';
import { type Actor, type Scope, SCOPES } from './actor';
import type { ApiKeyRepo } from './api-key.repo';
import { generateApiKey } from './api-key';
import { requireScope } from './require-scope';
import { Topics } from '../events';
import type { CreatedFilter } from '../common/created-filter';

/** API key management for a tenant's admins; every change is audited. */
export class ApiKeyService {
  constructor(
    private readonly prisma: Db,
    private readonly repo: ApiKeyRepo,
    private readonly audit: AuditRepo,
    private readonly pubsub: PubSub,
    /** Called in this process right after a revocation commits (before other processes hear of it). */
    private readonly onRevoked: (apiKeyId: string) => void = () => undefined,
  ) {}

  /**
   * Creates a key of the actor's tenant (`admin`); audited. Only its hash is stored: the key is
   * returned here once.
   * @throws AppError FORBIDDEN (not admin), BAD_USER_INPUT (empty name or scopes, unknown scope,
   *   expiry in the past).
   */
  async create(actor: Actor, input: { name: string; scopes: string[]; expiresAt?: Date | null }) {
    requireScope(actor, 'admin');
    const name = input.name.trim();
    if (!name || name.length > 100) throw badInput(`name must be 1-100 characters, got ${name.length}`);
    if (input.scopes.length === 0) throw badInput('scopes is empty: give the key at least one scope');
    const unknown = input.scopes.find((s) => !SCOPES.includes(s as Scope));
    if (unknown) throw badInput(`scopes has unknown scope '${unknown}'`);
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw badInput(`expiresAt ${input.expiresAt.toISOString()} is in the past`);
    }
    const key = generateApiKey();
    const created = await withTenant(this.prisma, actor.tenantId, async (tx) => {
      const row = await this.repo.create(tx, actor.tenantId, {
        name,
        prefix: key.prefix,
        hash: key.hash,
        scopes: [...new Set(input.scopes)] as Scope[],
        expiresAt: input.expiresAt ?? null,
      });
      await this.audit.record(tx, actor, { action: 'apiKey.created', targetType: 'ApiKey', targetId: row.id, details: { name, scopes: row.scopes } });
      return row;
    });
    return { apiKey: created, key: key.key };
  }

  /**
   * A page of the tenant's keys, newest first, prefix only (`admin`).
   * @throws AppError FORBIDDEN, BAD_USER_INPUT (paging arguments, cursor).
   */
  async page(actor: Actor, args: PageRequest, filter: CreatedFilter & { name?: string }, sizes: { default: number; max: number }) {
    requireScope(actor, 'admin');
    const window = pageWindow(args, sizes.default, sizes.max, nestedList('api-keys', actor.tenantId));
    return withTenant(this.prisma, actor.tenantId, (tx) => this.repo.page(tx, actor.tenantId, filter, window));
  }

  /** The tenant's keys, prefix only (`admin`). @throws AppError FORBIDDEN. */
  async list(actor: Actor) {
    requireScope(actor, 'admin');
    return withTenant(this.prisma, actor.tenantId, (tx) => this.repo.list(tx, actor.tenantId));
  }

  /**
   * Revokes at once (idempotent; `admin`); audited. Every process drops the key's cached
   * credentials and closes its websockets (published after commit).
   * @throws AppError FORBIDDEN, NOT_FOUND for a key of another tenant or none.
   */
  async revoke(actor: Actor, id: string) {
    requireScope(actor, 'admin');
    const key = await withTenant(this.prisma, actor.tenantId, async (tx) => {
      const found = await this.repo.find(tx, actor.tenantId, id);
      if (!found) throw notFound('API key', id);
      if (await this.repo.revoke(tx, actor.tenantId, id)) {
        await this.audit.record(tx, actor, { action: 'apiKey.revoked', targetType: 'ApiKey', targetId: id });
      }
      return this.repo.find(tx, actor.tenantId, id);
    });
    this.onRevoked(id);
    await this.pubsub.publish(Topics.keyRevoked, { apiKeyId: id });
    return key!;
  }
}
