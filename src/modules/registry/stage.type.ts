/** GraphQL types of version stages: the ModelStage enum and one stage move. */
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Nullable } from '../common/fields';
import { ModelStage } from './stage';

registerEnumType(ModelStage, {
  name: 'ModelStage',
  description: 'Lifecycle stage of a version: NONE (new) -> STAGING -> PRODUCTION -> ARCHIVED; any move is allowed; at most one PRODUCTION version per model.',
});

/** One move of a version from one stage to another. */
@ObjectType({ description: 'One stage move of a model version: who moved it, from, to, when and why.' })
export class StageTransition {
  @Field(() => ID) id!: string;
  @Field({ description: 'The model.' }) modelName!: string;
  @Field(() => ID, { description: 'The version moved (ModelVersion.id).' }) modelVersionId!: string;
  @Field(() => Int, { description: 'Its number.' }) version!: number;
  @Field(() => ModelStage) fromStage!: ModelStage;
  @Field(() => ModelStage) toStage!: ModelStage;
  @Field({ description: "Who moved it: 'user' (a JWT), 'apiKey' or 'system'." }) actorKind!: string;
  @Field({ description: 'The API key id (for a JWT, the key it was issued for).' }) actorId!: string;
  @Nullable(String, 'Why, as the caller wrote it.') comment!: string | null;
  @Field({ description: 'When.' }) createdAt!: Date;
}

/** A version and its stage now. */
@ObjectType({ description: 'A version and its stage now.' })
export class VersionStage {
  @Field(() => ID) modelVersionId!: string;
  @Field(() => Int) version!: number;
  @Field(() => ModelStage) stage!: ModelStage;
}

/** One event of modelStageChanged. */
@ObjectType({ description: "An event of modelStageChanged: the model's stages now and, except in the first event, the move that led there." })
export class ModelStageEvent {
  @Field() modelName!: string;
  @Nullable(StageTransition, 'The move; null in the first event (the state when the subscription started).') transition!: StageTransition | null;
  @Field(() => [VersionStage], { description: 'Versions not in NONE, newest first, as read when the event is sent (at or after the move).' }) stages!: VersionStage[];
}

/** What transitionModelVersionStage did. */
@ObjectType({
  description:
    'The moves one transitionModelVersionStage made, in order: the previous PRODUCTION version archived (when moving to PRODUCTION), then the version itself. Empty when the version already was in that stage.',
})
export class StageTransitionResult {
  @Field() modelName!: string;
  @Field(() => [StageTransition]) moves!: StageTransition[];
}
