/**
 * Shared state of one worker process: once draining (SIGTERM), running jobs stop after their
 * current epoch and hand their run back to the queue, and no new job is claimed.
 */
export class WorkerState {
  private drainingSince?: number;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  drain(): void {
    this.drainingSince ??= Date.now();
  }
}
