/**
 * Uploading a model file (ONNX) as a new version of a tenant's model (`models:write`, the scope that
 * writes the registry: aliases, deletions). The file is read with a running SHA-256 and refused past
 * ONNX_MAX_UPLOAD_BYTES, opened once to validate it and read its declared tensors
 * (src/ml/families/onnx/inspect.ts), its metadata checked against them, then published by
 * VersionPublisher (the only writer of versions) in one transaction with the stored-bytes quota
 * check and the audit entry. Any refusal writes nothing.
 *
 * The session opened to validate runs on this (API) thread: onnxruntime parses and checks the
 * graph natively; a file that crashes the native parser would take this process down, which the
 * scoring threads do not prevent either (they share the process).
 */
import type { Readable } from 'node:stream';
import { AppError, badInput } from '../../lib/errors';
import { inspectOnnxIsolated } from '../../ml/families/onnx/host/inspect-isolated';
import { ONNX_FRAMEWORK } from '../../ml/families/onnx';
import { servingInfo, type OnnxMetadata } from '../../ml/families/onnx/metadata';
import type { FittedPipeline } from '../../ml/preprocess/types';
import type { Task } from '../../ml/task';
import type { AuditRepo } from '../audit/audit.repo';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { QuotaService } from '../quotas/quota.service';
import { toVersionView } from './model.service';
import type { ModelVersion } from './model.type';
import type { NewVersion } from './model.repo';
import type { VersionPublisher } from './publish-version';
import { readModelFile } from './read-model-file';

/** Model names, as training runs take them. */
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** An uploaded file: its name and how to read it. */
export interface UploadedFile {
  filename: string;
  open(): Readable;
}

/** Uploading model files as versions. */
export class UploadVersionService {
  constructor(
    private readonly publisher: VersionPublisher,
    private readonly quotas: QuotaService,
    private readonly audit: AuditRepo,
    /** maxBytes: ONNX_MAX_UPLOAD_BYTES; maxImagePixels: MAX_IMAGE_PIXELS, the largest image input (height × width). */
    private readonly options: { maxBytes: number; maxImagePixels?: number },
    /** Called in this process after commit (others hear Topics.modelChanged). */
    private readonly onPublished: (tenantId: string, modelName: string) => void = () => undefined,
    /** The version whose fault quarantined this tenant's file in this process (src/ml/serving/quarantine.ts), if any. */
    private readonly quarantinedFile: (tenantId: string, sha256: string) => { versionId: string; reason: string; secondsLeft: number } | undefined = () => undefined,
  ) {}

  /**
   * Stores `file` as the next version of the tenant's `modelName` (created on first use).
   * @throws AppError FORBIDDEN (no `models:write`); BAD_USER_INPUT (a bad model name, a file over
   *   the limit, metadata that does not fit the model, naming the field); INVALID_MODEL (not ONNX,
   *   truncated, an unsupported operator, no servable output, RUNTIME_CRASH, TIMEOUT, QUARANTINED — the
   *   same file crashed this tenant's scoring runtime lately, with `quarantinedVersionId` and
   *   `retryAfterSeconds`: `details.reason`); QUOTA_EXCEEDED
   *   (the tenant's stored-bytes quota); NOT_SUPPORTED (no ONNX runtime on this server).
   */
  async upload(actor: Actor, modelName: string, file: UploadedFile, metadata: OnnxMetadata | null): Promise<ModelVersion> {
    requireScope(actor, 'models:write');
    if (!MODEL_NAME.test(modelName))
      throw badInput(`model '${modelName.slice(0, 100)}' must be 1-100 letters, digits, '_', '.' or '-', starting with a letter or digit`, { field: 'model' });
    const { bytes, sha256, sizeBytes } = await readModelFile(() => file.open(), this.options.maxBytes, file.filename);
    const quarantined = this.quarantinedFile(actor.tenantId, sha256);
    if (quarantined)
      throw new AppError(
        'INVALID_MODEL',
        `File '${file.filename.slice(0, 100)}' is the file of model version '${quarantined.versionId}', which crashed its scoring runtime (${quarantined.reason.slice(0, 200)}); it is quarantined for ${quarantined.secondsLeft} more seconds`,
        { reason: 'QUARANTINED', filename: file.filename.slice(0, 100), sha256, quarantinedVersionId: quarantined.versionId, retryAfterSeconds: quarantined.secondsLeft },
      );
    const specs = await inspectOnnxIsolated(bytes, file.filename); // in a child process: a crafted file crashes that, not the server
    const info = servingInfo(specs, { sha256, sizeBytes }, metadata, this.options.maxImagePixels);
    const task = (info.labels ? 'multiclass' : 'tensor') as Task;
    const pipeline: FittedPipeline = {
      format: 'maas-pipeline/1',
      columns: [],
      datasetColumns: [],
      target: { name: info.labelsOutput ?? info.outputs[0]!.name, task, ...(info.labels ? { classes: info.labels } : {}) },
      onnx: info,
    };
    const row: NewVersion = {
      trainingRunId: null,
      // An upload has no training lineage: its provenance is the checksum above and the audit entry.
      datasetId: null,
      lineage: null,
      warnings: [],
      task,
      framework: ONNX_FRAMEWORK,
      topology: { format: 'onnx/1', sha256, sizeBytes, filename: file.filename.slice(0, 200) },
      weights: bytes,
      inputSchema: { tensors: info.inputs },
      outputSchema: { tensors: info.outputs, notServed: info.notServed },
      preprocessing: pipeline,
      metrics: { task, testRows: 0 },
    };
    const created = await this.publisher.publishUpload(actor.tenantId, modelName, row, async (tx, addVersion) => {
      await this.quotas.checkDatasetBytes(tx, actor.tenantId, sizeBytes);
      const { id } = await addVersion();
      await this.audit.record(tx, actor, { action: 'modelVersion.uploaded', targetType: 'ModelVersion', targetId: id, details: { modelName, sha256, sizeBytes } });
    });
    this.onPublished(actor.tenantId, modelName);
    return toVersionView(created);
  }
}
