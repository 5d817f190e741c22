/** Page sizes of every `…Connection` field (plain constants: the GraphQL layer's cost check reads them too). */

/** Most rows one page may have. */
export const MAX_PAGE = 100;
/** Rows in a page when neither `first` nor `last` is given. */
export const DEFAULT_PAGE = 20;
