/**
 * NOT_FOUND for a model or alias name that does not resolve, with a hint drawn from the caller's
 * own tenant only (the repos fold the tenant into every read, under row-level security): the
 * closest of its model names, as column names get (`didYouMean`), or the model's aliases. Another
 * tenant's names never appear, and its model answers exactly as a name nobody has.
 */
import { AppError, didYouMean, nameList, notFound, quote } from '../../lib/errors';
import type { Tx } from '../../lib/tenant-tx';
import type { AliasRepo } from './alias.repo';
import type { ModelRepo } from './model.repo';

/** Model names read for one hint: `closest` compares at most 1,000 candidates anyway. */
const HINT_NAMES = 1000;
/** Aliases listed in a message. */
const LISTED_ALIASES = 20;

/**
 * `Model 'diabetis' not found (did you mean 'diabetes'?)`, the hint among the tenant's models.
 * @returns the error to throw (NOT_FOUND).
 */
export async function modelNotFound(tx: Tx, models: ModelRepo, tenantId: string, name: string): Promise<AppError> {
  const error = notFound('Model', name);
  const hint = didYouMean(name, await models.modelNames(tx, tenantId, HINT_NAMES));
  return hint ? new AppError('NOT_FOUND', `${error.message}${hint}`) : error;
}

/**
 * `Model alias 'diabetes@prod' not found (did you mean 'production'?); its aliases are production`,
 * or `…; model 'diabetes' has no alias yet: setModelAlias (maas alias set) names a version`.
 * @returns the error to throw (NOT_FOUND).
 */
export async function aliasNotFound(tx: Tx, aliases: AliasRepo, tenantId: string, model: { id: string; name: string }, alias: string): Promise<AppError> {
  const error = notFound('Model alias', `${model.name}@${alias}`);
  const names = (await aliases.list(tx, tenantId, { modelId: model.id })).map((a) => a.name);
  const more = names.length
    ? `${didYouMean(alias, names)}; its aliases are ${nameList(names, LISTED_ALIASES)}`
    : `; model ${quote(model.name)} has no alias yet: setModelAlias (maas alias set) names a version`;
  return new AppError('NOT_FOUND', `${error.message}${more}`);
}
