/** The arguments that pick a model version to serve: predict, explain and startBatchPrediction. */
import { ArgsType, Field, Int } from 'type-graphql';
import { Nullable } from '../common/fields';
import { ModelStage } from '../registry/stage';
import type { VersionSelector } from './version-resolver';

/** `model`, and `version`, `alias` or `stage` (none: the latest version). */
@ArgsType()
export class VersionArgs {
  @Field({ description: 'The model name.' })
  model!: string;

  @Nullable(Int, 'A version number; not with alias. Default: the latest version.')
  version!: number | null;

  @Nullable(String, "An alias, e.g. 'production'; not with version.")
  alias!: string | null;

  @Nullable(ModelStage, "A stage, e.g. PRODUCTION: the model's newest version in it; not with version or alias.")
  stage!: ModelStage | null;
}

/** The service's selector for the chosen version (absent arguments become undefined). */
export function versionSelector(args: VersionArgs): VersionSelector {
  return { version: args.version ?? undefined, alias: args.alias ?? undefined, stage: args.stage ?? undefined };
}
