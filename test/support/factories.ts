/** Test data builders through the API: tenants with unique names, bundles ready to call the API with. */
import crypto from 'node:crypto';
import type { App } from '../../src/app';
import { gqlOk, type Caller } from '../../src/client/graphql-client';
import { ADMIN_SECRET } from './secrets';

export interface TenantBundle extends Caller {
  tenantId: string;
  name: string;
  apiKey: string;
  wsUrl: string;
}

export async function createTenant(app: App, prefix = 'tenant'): Promise<TenantBundle> {
  const name = `${prefix}-${crypto.randomBytes(4).toString('hex')}`;
  const data = await gqlOk<{ createTenant: { tenant: { id: string }; apiKey: string } }>(
    { url: app.server.url, headers: { 'x-admin-secret': ADMIN_SECRET } },
    'mutation($name: String!) { createTenant(name: $name) { tenant { id } apiKey } }',
    { name },
  );
  const { apiKey, tenant } = data.createTenant;
  return { url: app.server.url, wsUrl: app.server.wsUrl, token: apiKey, apiKey, tenantId: tenant.id, name };
}

export async function uploadCsv(t: Caller, csv: string, name = 'data'): Promise<string> {
  const data = await gqlOk<{ uploadDataset: { id: string } }>(t, 'mutation($name: String!, $csv: String!) { uploadDataset(name: $name, csv: $csv) { id } }', { name, csv });
  return data.uploadDataset.id;
}
