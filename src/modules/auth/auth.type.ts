import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A short-lived JWT for the calling API key.' })
export class IssuedToken {
  @Field({ description: "Send as 'Authorization: Bearer <token>'." })
  token!: string;

  @Field()
  expiresAt!: Date;
}

@ObjectType({ description: 'The authenticated caller.' })
export class Viewer {
  @Field()
  tenantId!: string;

  @Field()
  tenantName!: string;

  @Field({ description: 'apiKey (also for JWTs issued for a key) or user.' })
  kind!: string;

  @Field(() => [String])
  scopes!: string[];
}
