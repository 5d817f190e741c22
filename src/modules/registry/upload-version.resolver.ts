/**
 * uploadModelVersion: an ONNX file (multipart) as a new version of a model. Scope `models:write`.
 */
import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import GraphQLUpload, { type FileUpload } from 'graphql-upload/GraphQLUpload.mjs';
import { badInput } from '../../lib/errors';
import type { Actor } from '../auth/actor';
import { ModelVersion } from './model.type';
import { OnnxMetadataInput } from './onnx.type';
import type { UploadVersionService } from './upload-version.service';

/** The part of the GraphQL context this field uses (structural: modules do not import src/graphql). */
interface Context {
  actor?: Actor;
  services: { uploadVersion: UploadVersionService };
}

@Resolver()
export class UploadVersionResolver {
  /**
   * @throws FORBIDDEN, BAD_USER_INPUT (model name, file over ONNX_MAX_UPLOAD_BYTES, metadata),
   *   INVALID_MODEL (not ONNX, truncated, unsupported operator), QUOTA_EXCEEDED, NOT_SUPPORTED.
   */
  @Authorized('models:write')
  @Mutation(() => ModelVersion, {
    description:
      "Uploads an ONNX model file (multipart `file`) as the next version of `model` (created on first use). The file is opened once to validate it (not ONNX, truncated or unsupported operators: INVALID_MODEL) and its inputs and outputs are read; non-tensor outputs (scikit-learn's ZipMap) are listed as not served. `metadata` adds a description, class labels and image preprocessing. Counts against the tenant's stored-bytes quota.",
  })
  async uploadModelVersion(
    @Arg('model') model: string,
    // Nullable in the schema (as uploadDataset's) so the scope is checked before the file: a missing file is BAD_USER_INPUT.
    @Arg('file', () => GraphQLUpload, { nullable: true, description: 'The .onnx file (multipart). Required.' }) file: Promise<FileUpload> | null,
    @Arg('metadata', () => OnnxMetadataInput, { nullable: true }) metadata: OnnxMetadataInput | null,
    @Ctx() ctx: Context,
  ): Promise<ModelVersion> {
    if (file == null) throw badInput('uploadModelVersion needs `file`: the .onnx file as a multipart upload', { field: 'file' });
    const upload = await file;
    return ctx.services.uploadVersion.upload(ctx.actor!, model, { filename: upload.filename, open: () => upload.createReadStream() }, metadata);
  }
}
