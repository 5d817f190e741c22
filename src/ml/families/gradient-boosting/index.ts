/**
 * Gradient-boosted trees on feature histograms (Friedman 2001; the algorithm of LightGBM, Ke et
 * al. 2017, and scikit-learn's HistGradientBoosting): binary log-loss, softmax for several classes,
 * squared error for values; one progress event per boosting round; early stopping on the
 * validation split.
 */
import { treeFamily } from '../../trees/tree-family';

export const gradientBoostingFamily = treeFamily('gradient_boosting', 'gradient-boosting', 'Gradient-boosted trees on feature histograms (as LightGBM and HistGradientBoosting)');
