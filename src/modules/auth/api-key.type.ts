import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';

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

@ObjectType({ description: 'An API key, without its secret.' })
export class ApiKeyInfo {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: "Public prefix: keys look like 'mk_<prefix>_<secret>'." })
  prefix!: string;

  @Field(() => [ScopeName])
  scopes!: ScopeName[];

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  @Field()
  createdAt!: Date;
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKeyInfo)
  apiKey!: ApiKeyInfo;

  @Field({ description: 'The key itself. Shown once: only its hash is stored.' })
  key!: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field()
  name!: string;

  @Field(() => [ScopeName])
  scopes!: ScopeName[];

  @Field(() => Date, { nullable: true, description: 'After this instant the key fails (default: never).' })
  expiresAt?: Date | null;
}
