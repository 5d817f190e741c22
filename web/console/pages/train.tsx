/**
 * A training run: dataset, target, the model kind — a dense network (layers, loss, optimiser,
 * epochs, batch size) or a tree learner (train-tree.tsx: decision tree, random forest, gradient
 * boosting) — validation split and preprocessing (train-preprocessing.tsx) become
 * `startTrainingRun`'s input; the server's validation errors appear next to the field they name
 * (field-errors.ts). On success the run page opens.
 */
import { useState } from 'preact/hooks';
import { ApiError, gql } from '../api';
import { fieldErrors, type FieldErrors } from '../field-errors';
import { go } from '../router';
import { Loaded } from '../ui';
import { ConsoleStartRunDocument, type StartTrainingRunInput } from '../generated/graphql';
import { Field, LayersEditor, type LayerRow } from './train-fields';
import { DEFAULT_PREPROCESSING, PREPROCESSING_FIELDS, PreprocessingFields, preprocessingSpec } from './train-preprocessing';
import { DEFAULT_TREE, MODEL_KINDS, NAME_SUFFIX, TREE_FIELDS, TreeFields, treeSpec, type ModelKindChoice } from './train-tree';
import { useDatasetChoice } from './use-dataset-choice';

const LOSSES = ['BINARY_CROSSENTROPY', 'CATEGORICAL_CROSSENTROPY', 'SPARSE_CATEGORICAL_CROSSENTROPY', 'MEAN_SQUARED_ERROR', 'MEAN_ABSOLUTE_ERROR', 'HUBER'];
const OPTIMIZERS = ['ADAM', 'SGD', 'RMSPROP'];

/**
 * A number from an input's text, undefined when empty (so the server's default applies), or the text
 * itself when it is not a number, so the server's coercion error names the field.
 */
const numberOr = (text: string): number | string | undefined => (text.trim() === '' ? undefined : Number.isFinite(Number(text)) ? Number(text) : text);

/** The training form; `datasetId` preselects a dataset. */
export function Train({ datasetId }: { datasetId?: string }) {
  const [kind, setKind] = useState<ModelKindChoice>('NEURAL_NETWORK');
  const { query: q, datasets, chosen, dataset, setDataset, target, setTarget, modelName, setModelName } = useDatasetChoice(datasetId, NAME_SUFFIX[kind]);
  const [layers, setLayers] = useState<LayerRow[]>([
    { units: '10', activation: 'RELU', inputDim: '' },
    { units: '1', activation: 'SIGMOID', inputDim: '' },
  ]);
  const [loss, setLoss] = useState('BINARY_CROSSENTROPY');
  const [optimizer, setOptimizer] = useState('ADAM');
  const [learningRate, setLearningRate] = useState('');
  const [epochs, setEpochs] = useState('10');
  const [batchSize, setBatchSize] = useState('32');
  const [validationSplit, setValidationSplit] = useState('0.2');
  const [tree, setTree] = useState(DEFAULT_TREE);
  const [preprocessing, setPreprocessing] = useState(DEFAULT_PREPROCESSING);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  const fields = [
    'datasetId',
    'targetColumn',
    'modelName',
    'spec.model',
    'spec.loss',
    'spec.optimizer',
    'spec.optimizer.learningRate',
    'spec.epochs',
    'spec.batchSize',
    'spec.validationSplit',
    'spec.layers',
    ...PREPROCESSING_FIELDS,
    ...TREE_FIELDS,
  ];
  layers.forEach((_, i) => fields.push(`spec.layers[${i}]`, `spec.layers[${i}].units`, `spec.layers[${i}].activation`, `spec.layers[${i}].inputDim`));

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    const input = {
      datasetId: chosen?.id ?? dataset,
      targetColumn: target,
      modelName,
      spec: {
        ...(kind === 'NEURAL_NETWORK'
          ? {
              layers: layers.map((l) => ({ type: 'DENSE', units: numberOr(l.units), activation: l.activation, ...(l.inputDim.trim() ? { inputDim: numberOr(l.inputDim) } : {}) })),
              loss,
              optimizer: { name: optimizer, ...(learningRate.trim() ? { learningRate: numberOr(learningRate) } : {}) },
              metrics: ['ACCURACY'].filter(() => loss.includes('CROSSENTROPY')),
              epochs: numberOr(epochs),
              batchSize: numberOr(batchSize),
            }
          : { model: kind, tree: treeSpec(kind, tree, numberOr) }),
        // Decision trees and forests refuse a validation split: nothing would watch it.
        ...(kind === 'NEURAL_NETWORK' || kind === 'GRADIENT_BOOSTING' ? { validationSplit: numberOr(validationSplit) ?? 0 } : {}),
        ...preprocessingSpec(preprocessing),
      },
    };
    try {
      const { startTrainingRun } = await gql(ConsoleStartRunDocument, { input: input as StartTrainingRunInput });
      go('runs', startTrainingRun.id);
    } catch (err) {
      setErrors(fieldErrors(err as ApiError, fields));
    } finally {
      setBusy(false);
    }
  }

  const validationField = (
    <Field id="spec.validationSplit" label="Validation split (0 to 0.9)" error={errors['spec.validationSplit']}>
      {(a) => <input {...a} inputMode="decimal" value={validationSplit} onInput={(e) => setValidationSplit(e.currentTarget.value)} />}
    </Field>
  );

  return (
    <>
      <h1>Train a model</h1>
      <Loaded {...q}>
        {() =>
          datasets.length === 0 ? (
            <p>Upload a dataset first.</p>
          ) : (
            <form class="train" onSubmit={submit} noValidate>
              <Field id="datasetId" label="Dataset" error={errors.datasetId}>
                {(a) => (
                  <select {...a} value={chosen?.id} onChange={(e) => setDataset(e.currentTarget.value)}>
                    {datasets.map((d) => (
                      <option key={d.id} value={d.id}>
                        {d.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field id="targetColumn" label="Target column" error={errors.targetColumn}>
                {(a) => (
                  <select {...a} value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
                    {chosen?.columns.map((c) => (
                      <option key={c.name}>{c.name}</option>
                    ))}
                  </select>
                )}
              </Field>
              <Field id="modelName" label="Model name" error={errors.modelName}>
                {(a) => <input {...a} value={modelName} onInput={(e) => setModelName(e.currentTarget.value)} />}
              </Field>
              <Field id="spec.model" label="Model" error={errors['spec.model']}>
                {(a) => (
                  <select
                    {...a}
                    value={kind}
                    onChange={(e) => {
                      const next = e.currentTarget.value as ModelKindChoice;
                      setKind(next);
                      // The server's default: standardised inputs for networks, raw ones for trees.
                      setPreprocessing((p) => ({ ...p, standardize: next === 'NEURAL_NETWORK' }));
                    }}
                  >
                    {MODEL_KINDS.map(([value, label]) => (
                      <option key={value} value={value}>
                        {label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {kind === 'NEURAL_NETWORK' ? (
                <>
                  <LayersEditor layers={layers} setLayers={setLayers} errors={errors} />
                  <div class="grid">
                    <Field id="spec.loss" label="Loss" error={errors['spec.loss']}>
                      {(a) => (
                        <select {...a} value={loss} onChange={(e) => setLoss(e.currentTarget.value)}>
                          {LOSSES.map((l) => (
                            <option key={l}>{l}</option>
                          ))}
                        </select>
                      )}
                    </Field>
                    <Field id="spec.optimizer" label="Optimizer" error={errors['spec.optimizer']}>
                      {(a) => (
                        <select {...a} value={optimizer} onChange={(e) => setOptimizer(e.currentTarget.value)}>
                          {OPTIMIZERS.map((o) => (
                            <option key={o}>{o}</option>
                          ))}
                        </select>
                      )}
                    </Field>
                    <Field id="spec.optimizer.learningRate" label="Learning rate (optional)" error={errors['spec.optimizer.learningRate']}>
                      {(a) => <input {...a} inputMode="decimal" value={learningRate} onInput={(e) => setLearningRate(e.currentTarget.value)} />}
                    </Field>
                    <Field id="spec.epochs" label="Epochs" error={errors['spec.epochs']}>
                      {(a) => <input {...a} inputMode="numeric" value={epochs} onInput={(e) => setEpochs(e.currentTarget.value)} />}
                    </Field>
                    <Field id="spec.batchSize" label="Batch size" error={errors['spec.batchSize']}>
                      {(a) => <input {...a} inputMode="numeric" value={batchSize} onInput={(e) => setBatchSize(e.currentTarget.value)} />}
                    </Field>
                    {validationField}
                  </div>
                </>
              ) : (
                <>
                  <TreeFields kind={kind} value={tree} onChange={setTree} errors={errors} />
                  {kind === 'GRADIENT_BOOSTING' ? <div class="grid">{validationField}</div> : null}
                </>
              )}
              <PreprocessingFields value={preprocessing} onChange={setPreprocessing} errors={errors} />
              {errors.form ? (
                <p role="alert" class="error">
                  {errors.form}
                </p>
              ) : null}
              <button type="submit" disabled={busy}>
                {busy ? 'Starting…' : 'Start training'}
              </button>
            </form>
          )
        }
      </Loaded>
    </>
  );
}
