/**
 * File downloads beside /graphql (batch prediction results, model exports): the caller's
 * credential is resolved by GraphQL's `buildContext` (same keys, tokens, throttle), and errors are
 * answered as GraphQL answers them: `{ errors: [{ message, extensions: { code } }] }`, with an HTTP
 * status per code (NOT_FOUND 404, FORBIDDEN 403, …; other codes 400). Every answer, file or error,
 * carries `Cache-Control: no-store`: the files are a tenant's private data.
 */
import crypto from 'node:crypto';
import type { Express, Request } from 'express';
import { buildContext, type BaseContext } from '../graphql/context';
import { AppError, fromDatabaseError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import type { Actor, Scope } from '../modules/auth/actor';
import { checkScope, CREDENTIAL_NEEDED } from '../modules/scope-names';

/** HTTP status of a coded error on the download routes (other codes: 400). */
const HTTP_STATUS: Partial<Record<AppError['code'], number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, QUOTA_EXCEEDED: 429, INTERNAL_SERVER_ERROR: 500 };

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** A file to send: its bytes (or text), content type and download name. */
export interface Download {
  body: Uint8Array | string;
  contentType: string;
  filename: string;
}

/**
 * Mounts `GET path`, answering `produce(actor, req)` as an attachment.
 * @param scope the scope the route needs: refused FORBIDDEN (naming it as the Scope enum does) before `produce`.
 * @param produce throws AppError for refusals (sent with their code); other errors are logged and
 *   answered INTERNAL_SERVER_ERROR with a generic message.
 */
export function mountDownload(app: Express, base: BaseContext, log: Logger, path: string, scope: Scope, produce: (actor: Actor, req: Request) => Promise<Download>): void {
  app.get(path, async (req, res) => {
    // A tenant's data (predictions, model weights): never kept by a browser or a shared cache.
    res.set('cache-control', 'no-store');
    const context = await buildContext(base, header(req.headers.authorization), undefined, crypto.randomUUID(), req.ip ?? req.socket.remoteAddress);
    if (!context.actor) {
      const e = context.authError;
      const code = e?.code ?? 'UNAUTHENTICATED';
      if (e?.details?.retryAfterSeconds !== undefined) res.set('retry-after', String(e.details.retryAfterSeconds));
      res.status(HTTP_STATUS[code] ?? 401).json({ errors: [{ message: e?.message ?? CREDENTIAL_NEEDED, extensions: { ...e?.details, code } }] });
      return;
    }
    try {
      checkScope(context.actor, scope);
      const file = await produce(context.actor, req);
      // The name is ASCII-only and quote-free so the header stays valid whatever a model is called.
      const filename = file.filename.replace(/[^\w.@-]/g, '_').slice(0, 200);
      res
        .set({ 'content-type': file.contentType, 'content-disposition': `attachment; filename="${filename}"` })
        .send(typeof file.body === 'string' ? file.body : Buffer.from(file.body.buffer, file.body.byteOffset, file.body.byteLength));
    } catch (err) {
      // The same codes as over GraphQL: an AppError, or a database refusal of the caller's id (a NUL character).
      const e = err instanceof AppError ? err : fromDatabaseError(err);
      const status = e ? (HTTP_STATUS[e.code] ?? 400) : 500;
      if (!e) log.error({ requestId: context.requestId, err: { message: (err as Error).message, stack: (err as Error).stack } }, 'unexpected error');
      res
        .status(status)
        .json({ errors: [{ message: e ? e.message : 'Internal server error', extensions: { ...(e?.details ?? {}), code: e ? e.code : 'INTERNAL_SERVER_ERROR' } }] });
    }
  });
}
