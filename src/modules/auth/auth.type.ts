/** GraphQL types of authentication: an issued token and the caller itself. */
import { Field, ObjectType } from 'type-graphql';

/** A JWT issued for the API key that asked for it; send it instead of the key until it expires. */
@ObjectType({ description: 'A short-lived JWT for the calling API key.' })
export class IssuedToken {
  @Field({ description: "Send as 'Authorization: Bearer <token>'." })
  token!: string;

  @Field({ description: 'After this instant the token fails; issue another.' })
  expiresAt!: Date;
}

/** The authenticated caller: its tenant and what its credential may do. */
@ObjectType({ description: 'The authenticated caller.' })
export class Viewer {
  @Field()
  tenantId!: string;

  @Field()
  tenantName!: string;

  @Field({ description: 'apiKey (also for JWTs issued for a key) or user.' })
  kind!: string;

  @Field(() => [String], { description: "The credential's scopes, e.g. ['datasets:read', 'predict']." })
  scopes!: string[];
}
