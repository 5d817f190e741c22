/** One decision tree (CART: Gini for classes, squared error for values), grown depth-first on histograms. */
import { treeFamily } from '../../trees/tree-family';

export const decisionTreeFamily = treeFamily('decision_tree', 'decision-tree', 'One decision tree (CART), grown on feature histograms');
