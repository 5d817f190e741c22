/**
 * What the two kinds of job share — a training run and a batch prediction: a status that moves
 * QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED, and why it failed.
 */
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Entity } from './entity.type';
import { Nullable } from './fields';
import { RunStatus } from '../status';

export { RunStatus };

registerEnumType(RunStatus, { name: 'RunStatus', description: 'Where a job is: QUEUED, RUNNING, then SUCCEEDED, FAILED or CANCELLED (final).' });

/** A queued piece of work: its status and, once FAILED, a failure code and message. */
@ObjectType()
export abstract class Job extends Entity {
  @Field(() => RunStatus)
  status!: RunStatus;

  @Nullable(String, 'FAILED: an error code, e.g. BAD_USER_INPUT, INTERNAL_SERVER_ERROR or WORKER_LOST.')
  failureCode!: string | null;

  @Nullable(String, 'FAILED: what went wrong, in words.')
  failureMessage!: string | null;

  @Nullable(Date, 'When it reached SUCCEEDED, FAILED or CANCELLED.')
  finishedAt!: Date | null;
}
