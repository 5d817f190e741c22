/** GraphQL type of the audit log. */
import { BoundedJSONObject as GraphQLJSONObject } from '../common/json.scalar';
import { Field, ObjectType } from 'type-graphql';
import { Entity } from '../common/entity.type';
import { Nullable } from '../common/fields';

/** One entry of a tenant's audit log: who did what to which record. Append-only. */
@ObjectType({ description: 'A security-relevant action, as recorded (append-only).' })
export class AuditEvent extends Entity {
  @Field({ description: 'e.g. apiKey.created, apiKey.revoked, token.issued, dataset.uploaded, trainingRun.started' })
  action!: string;

  @Field({ description: "'apiKey', 'user' or 'system'" })
  actorKind!: string;

  @Field({ description: 'The API key id (also for JWTs issued for a key).' })
  actorId!: string;

  @Nullable(String, "Type of the record acted on, e.g. 'ApiKey', 'Dataset' or 'TrainingRun'.")
  targetType!: string | null;

  @Nullable(String, 'Id of the record acted on.')
  targetId!: string | null;

  @Nullable(GraphQLJSONObject, 'What else the action recorded, e.g. the name and scopes of a new key.')
  details!: object | null;
}
