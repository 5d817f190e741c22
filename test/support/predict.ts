/** The predict query the model specs share (rows in, every prediction field out). */
export const PREDICT = `query($model: String!, $rows: [JSONObject!]!) {
  predict(model: $model, rows: $rows) { version predictions { label probability probabilities value } } }`;
