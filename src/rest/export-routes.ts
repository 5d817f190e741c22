/**
 * Model export downloads (src/modules/registry/export.service.ts):
 *
 *   GET /models/{name}/export?format=tfjs|json|onnx                  the latest version
 *   GET /models/{name}/versions/{v}/export?format=tfjs|json|onnx     a version number or an alias
 *
 * Answer: a ZIP archive (application/zip) with the model files, pipeline.json and manifest.json.
 * Scope `models:read` (FORBIDDEN for a predict-only key); another tenant's model is NOT_FOUND;
 * a family without the format is NOT_SUPPORTED naming it. The archive is built on a data thread
 * and kept per process (ExportService), so the event loop only sends its bytes.
 */
import type { Express, Request } from 'express';
import type { BaseContext } from '../graphql/context';
import type { Logger } from '../lib/logger';
import type { Actor } from '../modules/auth/actor';
import { mountDownload } from './download';
import { selectorOf } from './v2/selector';

/** Mounts both export routes on `app`. */
export function mountExportRoutes(app: Express, base: BaseContext, log: Logger): void {
  const produce = async (actor: Actor, req: Request) => {
    const version = req.params.version === undefined ? undefined : String(req.params.version);
    const archive = await base.services.exports.export(actor, String(req.params.name), selectorOf(version), String(req.query.format ?? ''));
    return { body: archive.bytes, contentType: archive.contentType, filename: archive.filename };
  };
  mountDownload(app, base, log, '/models/:name/export', 'models:read', produce);
  mountDownload(app, base, log, '/models/:name/versions/:version/export', 'models:read', produce);
}
