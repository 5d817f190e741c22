/**
 * `ModelVersion.exportFormats`: what the export route (src/rest/export-routes.ts,
 * `GET /models/{name}/versions/{v}/export?format=…`) offers for a version. The field needs no scope
 * beyond reading the version; downloading needs `models:read`.
 */
import { FieldResolver, Resolver, Root } from 'type-graphql';
import { lowerCaseEnum } from '../common/enum';
import type { ExportFormat } from '../../ml/export/bundle';
import { ModelVersion } from './model.type';
import { exportFormatsOf } from './export.service';

/** Download formats, as GraphQL enum values (the route's `format` is the lower case). */
export const ExportFormatEnum = lowerCaseEnum('ExportFormat', ['TFJS', 'JSON', 'ONNX'], {
  description:
    'A download format of GET /models/{name}/versions/{v}/export?format=tfjs|json|onnx (a ZIP with the model files, pipeline.json and manifest.json): TFJS (TF.js Layers model.json + weights.bin, dense networks), JSON (maas-trees/1, tree families), ONNX (dense networks and tree ensembles; uploaded ONNX versions: the original file).',
});

@Resolver(() => ModelVersion)
export class VersionExportResolver {
  /** The formats this version can be exported in (empty: none, e.g. CNN, text and recommender versions). */
  @FieldResolver(() => [ExportFormatEnum], {
    description: 'Formats this version can be downloaded in from GET /models/{name}/versions/{v}/export?format=…; empty for families without export (CNN, text, recommenders).',
  })
  exportFormats(@Root() version: ModelVersion): readonly ExportFormat[] {
    return exportFormatsOf(version.framework);
  }
}
