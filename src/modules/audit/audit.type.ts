import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A security-relevant action, as recorded (append-only).' })
export class AuditEvent {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'e.g. apiKey.created, apiKey.revoked, token.issued, dataset.uploaded, trainingRun.started' })
  action!: string;

  @Field({ description: "'apiKey', 'user' or 'system'" })
  actorKind!: string;

  @Field({ description: 'The API key id (also for JWTs issued for a key).' })
  actorId!: string;

  @Field(() => String, { nullable: true })
  targetType!: string | null;

  @Field(() => String, { nullable: true })
  targetId!: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  details!: object | null;

  @Field()
  createdAt!: Date;
}
