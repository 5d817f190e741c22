/** GraphQL types of API keys: the scopes, a key as listed, and the input that creates one. */
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Nullable } from '../common/fields';

/** GraphQL names of the scopes; values are the scope strings stored on keys. */
export enum ScopeName {
  DATASETS_READ = 'datasets:read',
  DATASETS_WRITE = 'datasets:write',
  TRAINING_READ = 'training:read',
  TRAINING_RUN = 'training:run',
  MODELS_READ = 'models:read',
  MODELS_WRITE = 'models:write',
  PREDICT = 'predict',
  ADMIN = 'admin',
}
registerEnumType(ScopeName, { name: 'Scope', description: 'What a key may do. ADMIN implies every other scope.' });

/**
 * What a caller chooses about a key: its name, scopes and expiry. Both the createApiKey input and
 * the listed key carry these fields (one field set, declared once for the two GraphQL kinds).
 */
@ObjectType()
@InputType('ApiKeyChoicesInput')
export abstract class ApiKeyChoices {
  @Field({ description: 'A label for people, e.g. "ci-deploy".' })
  name!: string;

  @Field(() => [ScopeName])
  scopes!: ScopeName[];

  @Nullable(Date, 'After this instant the key fails (default: never).')
  expiresAt?: Date | null;
}

/** An API key as listed: its public prefix and state, never the secret. */
@ObjectType({ description: 'An API key, without its secret.' })
export class ApiKeyInfo extends ApiKeyChoices {
  @Field(() => ID)
  id!: string;

  @Field({ description: "Public prefix: keys look like 'mk_<prefix>_<secret>'." })
  prefix!: string;

  @Nullable(Date, 'When the key was revoked; null while it is live.')
  revokedAt!: Date | null;

  @Field()
  createdAt!: Date;
}

/** What createApiKey returns: the key's record and, this once, the key itself. */
@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKeyInfo)
  apiKey!: ApiKeyInfo;

  @Field({ description: 'The key itself. Shown once: only its hash is stored.' })
  key!: string;
}

/** The input of createApiKey: name, scopes and optional expiry. */
@InputType()
export class CreateApiKeyInput extends ApiKeyChoices {}
