/** The parts of mljs' CART and random forest (ml-cart 2.1, ml-random-forest 2.1) this service uses. */
declare module 'ml-cart' {
  interface CartOptions {
    gainFunction?: 'gini' | 'regression';
    /** A node with this many rows or fewer becomes a leaf. */
    minNumSamples?: number;
    maxDepth?: number;
    gainThreshold?: number;
  }
  class CartTree {
    constructor(options: CartOptions);
    train(x: number[][], y: number[]): void;
    predict(x: number[][]): number[];
    toJSON(): { options: object; root: object; name: string };
  }
  export class DecisionTreeClassifier extends CartTree {}
  export class DecisionTreeRegression extends CartTree {}
}
