/** A random forest (Breiman 2001): bootstrapped trees with a random subset of the inputs at each split, averaged. */
import { treeFamily } from '../../trees/tree-family';

export const randomForestFamily = treeFamily('random_forest', 'random-forest', 'A random forest of decision trees on bootstrap samples, averaged');
