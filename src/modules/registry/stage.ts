/**
 * Version stages (MLflow's model stages): NONE -> STAGING -> PRODUCTION -> ARCHIVED, any move
 * allowed; at most one PRODUCTION version per model. Stages sit next to the free aliases: an alias
 * is a name you choose, a stage is one of these four.
 */

/** The stages a version can be in. A new version starts in NONE. */
export const ModelStage = {
  NONE: 'NONE',
  STAGING: 'STAGING',
  PRODUCTION: 'PRODUCTION',
  ARCHIVED: 'ARCHIVED',
} as const;
/** One of {@link ModelStage}'s values. */
export type ModelStage = (typeof ModelStage)[keyof typeof ModelStage];

/** Longest comment a stage move keeps, in characters. */
export const MAX_STAGE_COMMENT = 500;

/** A version and its stage now. */
export interface VersionStageView {
  modelVersionId: string;
  version: number;
  stage: ModelStage;
}

/** One event of modelStageChanged: the stages after `transition` (null in the first event). */
export interface ModelStageEventView {
  modelName: string;
  transition: StageTransitionView | null;
  stages: VersionStageView[];
}

/** One stage move as the API shows it and the subscription streams it. */
export interface StageTransitionView {
  id: string;
  modelName: string;
  modelVersionId: string;
  version: number;
  fromStage: ModelStage;
  toStage: ModelStage;
  /** 'user', 'apiKey' or 'system'. */
  actorKind: string;
  /** The API key id (for JWTs, the key the token was issued for). */
  actorId: string;
  comment: string | null;
  createdAt: Date;
}
