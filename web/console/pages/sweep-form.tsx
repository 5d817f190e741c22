/**
 * Starting a sweep: dataset, target, model name, strategy, objective and budget as fields; the
 * base spec and the search space as JSON (as startTrainingRun's `spec` and `SweepDimensionInput`s).
 * JSON that does not parse is named next to its box; the server's refusal is shown with its code.
 * On success the sweep page opens.
 */
import { useState } from 'preact/hooks';
import { gql } from '../api';
import { ConsoleStartSweepDocument, type StartSweepInput } from '../generated/graphql';
import { go } from '../router';
import { ErrorBox, Loaded } from '../ui';
import { useAction } from '../use-action';
import { Field } from './train-fields';
import { useDatasetChoice } from './use-dataset-choice';

const STRATEGIES = ['GRID', 'RANDOM', 'SUCCESSIVE_HALVING'];
const METRICS = ['ACCURACY', 'F1', 'PRECISION', 'RECALL', 'ROC_AUC', 'LOG_LOSS', 'MAE', 'MSE', 'RMSE', 'R2'];

const BASE_SPEC = { model: 'DECISION_TREE', tree: { maxDepth: 3 }, seed: 42 };
const SPACE = [{ path: 'tree.maxDepth', values: [2, 3, 4, 5] }];

/** `text` parsed as JSON, or the parser's complaint. */
function parse(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { error: `Not JSON: ${(err as Error).message}` };
  }
}

/** The start-sweep page. */
export function SweepForm() {
  const { query: q, datasets, chosen, dataset, setDataset, target, setTarget, modelName, setModelName } = useDatasetChoice(undefined, 'sweep');
  const [strategy, setStrategy] = useState('GRID');
  const [metric, setMetric] = useState('ACCURACY');
  const [direction, setDirection] = useState('MAXIMIZE');
  const [maxTrials, setMaxTrials] = useState('4');
  const [maxConcurrent, setMaxConcurrent] = useState('2');
  const [earlyStop, setEarlyStop] = useState(true);
  const [baseSpec, setBaseSpec] = useState(JSON.stringify(BASE_SPEC, null, 2));
  const [space, setSpace] = useState(JSON.stringify(SPACE, null, 2));
  const [jsonErrors, setJsonErrors] = useState<{ baseSpec?: string; space?: string }>({});
  const { busy, error, run } = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    const spec = parse(baseSpec);
    const dims = parse(space);
    setJsonErrors({ baseSpec: spec.error, space: dims.error });
    if (spec.error || dims.error) return;
    // Numbers go as typed (text that is not a number too), so the server's error names the field.
    const input = {
      datasetId: dataset,
      targetColumn: target,
      modelName,
      strategy,
      objective: { metric, direction },
      budget: { maxTrials: Number(maxTrials), maxConcurrent: Number(maxConcurrent) },
      earlyStop,
      baseSpec: spec.value,
      space: dims.value,
    } as StartSweepInput;
    return run(async () => go('sweeps', (await gql(ConsoleStartSweepDocument, { input })).startSweep.id));
  };

  return (
    <>
      <h1>Start a sweep</h1>
      <p>Every trial trains as an ordinary run of the base spec with the space&apos;s values put in; the leaderboard ranks them by the objective.</p>
      <Loaded {...q}>
        {() =>
          datasets.length === 0 ? (
            <p>Upload a dataset first.</p>
          ) : (
            <form onSubmit={submit}>
              <div class="grid">
                <Field id="sweep-dataset" label="Dataset">
                  {(a) => (
                    <select {...a} value={dataset} onChange={(e) => setDataset(e.currentTarget.value)}>
                      {datasets.map((d) => (
                        <option key={d.id} value={d.id}>
                          {d.name}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field id="sweep-target" label="Target column">
                  {(a) => (
                    <select {...a} value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
                      {chosen?.columns.map((c) => (
                        <option key={c.name}>{c.name}</option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field id="sweep-model" label="Model name">
                  {(a) => <input {...a} required value={modelName} onInput={(e) => setModelName(e.currentTarget.value)} />}
                </Field>
                <Field id="sweep-strategy" label="Strategy">
                  {(a) => (
                    <select {...a} value={strategy} onChange={(e) => setStrategy(e.currentTarget.value)}>
                      {STRATEGIES.map((s) => (
                        <option key={s}>{s}</option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field id="sweep-metric" label="Objective metric">
                  {(a) => (
                    <select {...a} value={metric} onChange={(e) => setMetric(e.currentTarget.value)}>
                      {METRICS.map((m) => (
                        <option key={m}>{m}</option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field id="sweep-direction" label="Direction">
                  {(a) => (
                    <select {...a} value={direction} onChange={(e) => setDirection(e.currentTarget.value)}>
                      <option>MAXIMIZE</option>
                      <option>MINIMIZE</option>
                    </select>
                  )}
                </Field>
                <Field id="sweep-trials" label="Trials">
                  {(a) => <input {...a} inputMode="numeric" value={maxTrials} onInput={(e) => setMaxTrials(e.currentTarget.value)} />}
                </Field>
                <Field id="sweep-concurrent" label="At once">
                  {(a) => <input {...a} inputMode="numeric" value={maxConcurrent} onInput={(e) => setMaxConcurrent(e.currentTarget.value)} />}
                </Field>
              </div>
              <label class="check">
                <input type="checkbox" checked={earlyStop} onChange={(e) => setEarlyStop(e.currentTarget.checked)} /> Stop trials clearly behind (median rule)
              </label>
              <Field id="sweep-spec" label="Base spec (JSON, as a training run's spec)" error={jsonErrors.baseSpec}>
                {(a) => <textarea {...a} rows={8} spellcheck={false} value={baseSpec} onInput={(e) => setBaseSpec(e.currentTarget.value)} />}
              </Field>
              <Field id="sweep-space" label="Search space (JSON: a list of { path, values } or { path, min, max })" error={jsonErrors.space}>
                {(a) => <textarea {...a} rows={6} spellcheck={false} value={space} onInput={(e) => setSpace(e.currentTarget.value)} />}
              </Field>
              <ErrorBox error={error} />
              <button type="submit" disabled={busy}>
                {busy ? 'Starting…' : 'Start sweep'}
              </button>
            </form>
          )
        }
      </Loaded>
    </>
  );
}
