/** Builds the executable schema from the resolver classes. */
import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { buildSchema } from 'type-graphql';
import { AuditResolver } from '../modules/audit/audit.resolver';
import { ApiKeyResolver } from '../modules/auth/api-key.resolver';
import { AuthResolver } from '../modules/auth/auth.resolver';
import { DatasetResolver } from '../modules/datasets/dataset.resolver';
import { ArchivedDatasetResolver } from '../modules/datasets/archived-dataset.resolver';
import { DatasetPagesResolver } from '../modules/datasets/dataset-pages.resolver';
import { ImageDatasetResolver } from '../modules/datasets/image-dataset.resolver';
import { AliasResolver, ModelAliasesResolver, VersionAliasesResolver } from '../modules/registry/alias.resolver';
import { CurvesReasonResolver } from '../modules/registry/curves.resolver';
import { VersionExportResolver } from '../modules/registry/export.resolver';
import { LifecycleResolver, VersionLineageResolver } from '../modules/registry/lineage.resolver';
import { ModelResolver } from '../modules/registry/model.resolver';
import { EvaluationResolver, VersionEvaluationsResolver } from '../modules/registry/evaluation.resolver';
import { ModelStageHistoryResolver, StageResolver, VersionStageHistoryResolver } from '../modules/registry/stage.resolver';
import { ModelPagesResolver, ModelVersionPagesResolver, VersionModelResolver } from '../modules/registry/model-pages.resolver';
import { BatchPagesResolver } from '../modules/serving/batch-pages.resolver';
import { ApiKeyPagesResolver } from '../modules/auth/api-key-pages.resolver';
import { AuditPagesResolver } from '../modules/audit/audit-pages.resolver';
import { BatchPredictionResolver } from '../modules/serving/batch.resolver';
import { ExplainResolver, PredictionColumnsResolver, PredictResolver } from '../modules/serving/predict.resolver';
import { RecommendResolver } from '../modules/serving/recommend.resolver';
import { ImagePredictResolver } from '../modules/serving/image-predict.resolver';
import { UploadVersionResolver } from '../modules/registry/upload-version.resolver';
import { InferResolver } from '../modules/serving/infer.resolver';
import { SystemResolver } from '../modules/system/system.resolver';
import { TenantLimitsResolver, TenantStorageResolver } from '../modules/quotas/tenant-limits.resolver';
import { TenantResolver } from '../modules/tenants/tenant.resolver';
import { TenantAdminResolver } from '../modules/tenants/tenant-admin.resolver';
import { TrainingProgressResolver, TrainingRunResolver } from '../modules/training/training-run.resolver';
import { RunPagesResolver } from '../modules/training/run-pages.resolver';
import { NodeResolver } from '../modules/nodes/node.resolver';
import { SweepResolver, SweepTrialResolver } from '../modules/sweeps/sweep.resolver';
import { authChecker } from './auth-checker';
import { hardenIdScalar } from '../modules/common/id.scalar';
import { BoundedDateTimeISO } from '../modules/common/date.scalar';

export const RESOLVERS = [
  AliasResolver,
  ModelAliasesResolver,
  VersionAliasesResolver,
  VersionExportResolver,
  CurvesReasonResolver,
  ApiKeyResolver,
  AuditResolver,
  AuthResolver,
  DatasetResolver,
  NodeResolver,
  RunPagesResolver,
  DatasetPagesResolver,
  ArchivedDatasetResolver,
  ModelPagesResolver,
  ModelVersionPagesResolver,
  VersionModelResolver,
  BatchPagesResolver,
  ApiKeyPagesResolver,
  AuditPagesResolver,
  ImageDatasetResolver,
  ModelResolver,
  StageResolver,
  EvaluationResolver,
  VersionEvaluationsResolver,
  ModelStageHistoryResolver,
  VersionStageHistoryResolver,
  VersionLineageResolver,
  LifecycleResolver,
  PredictResolver,
  RecommendResolver,
  ExplainResolver,
  ImagePredictResolver,
  UploadVersionResolver,
  InferResolver,
  BatchPredictionResolver,
  PredictionColumnsResolver,
  SystemResolver,
  TenantResolver,
  TenantAdminResolver,
  TenantLimitsResolver,
  TenantStorageResolver,
  TrainingRunResolver,
  TrainingProgressResolver,
  SweepResolver,
  SweepTrialResolver,
] as const;

/**
 * Root fields callable without a credential. Everything else must carry `@Authorized`
 * (test/schema-guard.spec.ts fails otherwise). The operator's fields (createTenant,
 * setTenantLimits, tenantLimits, tenants and a tenant's keys) are guarded by the X-Admin-Secret header instead (AdminGuard).
 */
export const PUBLIC_FIELDS = [
  'Query.serverInfo',
  'Mutation.createTenant',
  'Mutation.setTenantLimits',
  'Query.tenantLimits',
  'Query.tenants',
  'Query.tenantApiKeys',
  'Query.tenantApiKeysConnection',
  'Mutation.createTenantApiKey',
  'Mutation.revokeTenantApiKey',
];

/** @param extraResolvers more resolver classes (e.g. the benchmark's no-op baseline). */
export function createSchema(extraResolvers: Function[] = []): Promise<GraphQLSchema> {
  // Subscriptions bring their own `subscribe` (cross-process, src/lib/pubsub.ts); type-graphql
  // still insists on a pubSub option, which stays unused.
  // Date arguments are bounded to what PostgreSQL stores (src/modules/common/date.scalar.ts).
  const scalarsMap = [{ type: Date, scalar: BoundedDateTimeISO }];
  hardenIdScalar(); // ids holding a NUL character are refused (src/modules/common/id.scalar.ts)
  return buildSchema({ resolvers: [...RESOLVERS, ...extraResolvers] as [Function, ...Function[]], authChecker, validate: false, pubSub: createPubSub(), scalarsMap });
}

/** The SDL checked in as schema.graphql: sorted, so it only changes when the API does. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
