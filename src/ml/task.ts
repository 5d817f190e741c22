/** What a model predicts: one of two classes, one of several, or a number. */
export type Task = 'binary' | 'multiclass' | 'regression';
