/** The `{v}` path segment of the V2 routes: a version number or an alias. */
import { badInput } from '../../lib/errors';
import type { VersionSelector } from '../../modules/serving/version-resolver';

/** Longest alias read from a path, characters. */
const MAX_ALIAS = 200;

/**
 * `{v}` of a path: digits are a version number, anything else an alias; absent, the latest.
 * @throws AppError BAD_USER_INPUT for a segment longer than an alias may be.
 */
export function selectorOf(version: string | undefined): VersionSelector {
  if (version === undefined) return {};
  if (/^\d{1,9}$/.test(version)) return { version: Number(version) };
  if (version.length > MAX_ALIAS) throw badInput(`The version in the path is ${version.length} characters long; a version number or an alias of at most ${MAX_ALIAS}`);
  return { alias: version };
}
