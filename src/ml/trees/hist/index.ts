/**
 * The platform's histogram tree learner: decision trees, random forests and gradient boosting on
 * binned inputs (the algorithm of LightGBM, Ke et al. 2017, and scikit-learn's
 * HistGradientBoosting), pure TypeScript on typed arrays.
 */
export { decodeHistModel, encodeHistModel } from './codec';
export { fitHist, histDefaults } from './fit';
export type { HistModel } from './model';
export type { FitOptions, HistEarlyStopping, HistKind, HistParams, HistTask, HistValidation, RoundProgress } from './params';
export { rawScores, scoreHist } from './score';
export type { HistTree } from './tree';
