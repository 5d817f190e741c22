/** The error of a scoring call the server did not run, or ended, because it is stopping (app.stop, SIGTERM). */
import { AppError } from '../../lib/errors';

/**
 * MODEL_NOT_READY with `extensions.reason: 'SHUTTING_DOWN'` and `retryAfterSeconds`: the caller's
 * input was valid, and another instance (or this one, restarted) will serve it.
 */
export function shuttingDown(): AppError {
  return new AppError('MODEL_NOT_READY', 'The server is shutting down: this scoring call was not run; retry it', { reason: 'SHUTTING_DOWN', retryAfterSeconds: 1 });
}

/** Whether `err` is {@link shuttingDown}'s error. */
export function isShuttingDown(err: unknown): boolean {
  return err instanceof AppError && err.code === 'MODEL_NOT_READY' && err.details?.reason === 'SHUTTING_DOWN';
}
