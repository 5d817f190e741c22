/**
 * The predict playground: a form generated from the version's input columns (a number field per
 * numeric column, prefilled with its training mean; a list for categorical ones; text otherwise),
 * then `predict` and `explain` for that row: the prediction and a bar chart of attributions. A
 * number field takes a finite decimal only (number-input.ts), or nothing where the version imputes
 * a missing value (its hint says with what); anything else is named beside the field and nothing is
 * sent.
 */
import { useState } from 'preact/hooks';
import { gql } from '../api';
import { Bars } from '../charts/bars';
import { ConsolePredictDocument, type ConsolePredictQuery, type ConsoleVersionQuery } from '../generated/graphql';
import { readNumber } from '../number-input';
import { ErrorBox, num } from '../ui';
import { useAction } from '../use-action';
import { Field } from './train-fields';

/** An input column of a version (`ModelVersion.features`, version.graphql). */
export type Feature = ConsoleVersionQuery['modelVersion']['features'][number];

type Prediction = ConsolePredictQuery['predict']['predictions'][number];
type Explained = ConsolePredictQuery['explain']['explanations'][number];

/** A number field: a numeric column not one-hot encoded (a list of its categories instead). */
const isNumber = (f: Feature) => f.type === 'numeric' && !f.categories?.length;

const initial = (f: Feature): string => (f.categories?.length ? f.categories[0] : f.mean != null ? String(Number(f.mean.toPrecision(4))) : '');

/** The playground for `version`. */
export function Playground({ version }: { version: { modelName: string; version: number; features: Feature[] } }) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(version.features.map((f) => [f.name, initial(f)])));
  const [result, setResult] = useState<{ prediction: Prediction; explanation: Explained; method: string } | null>(null);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const { busy, error, run } = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    setResult(null);
    const read = Object.fromEntries(
      version.features.map((f): [string, { value?: number | string | null; error?: string }] => [
        f.name,
        isNumber(f) ? readNumber(values[f.name], f.name, f.imputeValue != null) : { value: values[f.name] },
      ]),
    );
    const errors = Object.fromEntries(Object.entries(read).flatMap(([name, r]) => (r.error ? [[name, r.error]] : [])));
    setInvalid(errors);
    if (Object.keys(errors).length) return;
    const row = Object.fromEntries(Object.entries(read).map(([name, r]) => [name, r.value ?? null]));
    return run(async () => {
      const d = await gql(ConsolePredictDocument, {
        model: version.modelName,
        version: version.version,
        rows: [row],
      });
      setResult({ prediction: d.predict.predictions[0], explanation: d.explain.explanations[0], method: d.explain.method });
    });
  };

  const p = result?.prediction;
  return (
    <section aria-labelledby="playground">
      <h2 id="playground">Predict</h2>
      <form class="grid" onSubmit={submit}>
        {version.features.map((f) => (
          <Field
            key={f.name}
            id={`in-${f.name}`}
            label={f.name}
            error={invalid[f.name]}
            hint={isNumber(f) && f.imputeValue != null ? `Empty = missing, read as ${num(Number(f.imputeValue))}` : undefined}
          >
            {(a) =>
              f.categories?.length ? (
                <select {...a} value={values[f.name]} onChange={(e) => setValues({ ...values, [f.name]: e.currentTarget.value })}>
                  {f.categories.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              ) : (
                <input {...a} inputMode={isNumber(f) ? 'decimal' : 'text'} value={values[f.name]} onInput={(e) => setValues({ ...values, [f.name]: e.currentTarget.value })} />
              )
            }
          </Field>
        ))}
        <div class="field">
          <button type="submit" disabled={busy}>
            {busy ? 'Predicting…' : 'Predict and explain'}
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {result && p ? (
        <div class="result" aria-live="polite">
          <p class="prediction">
            Prediction: <strong>{p.label ?? num(p.value)}</strong>
            {p.probability != null ? ` (probability ${num(p.probability, 3)})` : ''}
          </p>
          <p class="muted">
            Explanation ({result.method}): from a baseline output of {num(result.explanation.baseValue, 3)} to {num(result.explanation.value, 3)}
            {result.explanation.explainedClass ? ` for class ${result.explanation.explainedClass}` : ''}; each bar is how much a column moved it.
          </p>
          <Bars
            title="Attributions"
            bars={result.explanation.attributions.map((a) => ({ label: a.feature, value: a.attribution, note: a.featureValue == null ? undefined : String(a.featureValue) }))}
          />
        </div>
      ) : null}
    </section>
  );
}
