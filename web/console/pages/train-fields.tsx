/** The console's form pieces: a labelled field with its hint and error, and the training form's list of dense layers. */
import type { ComponentChildren } from 'preact';
import type { FieldErrors } from '../field-errors';

/** The attributes a field's control gets: its id, and its error's id when it has one. */
export interface ControlAttributes {
  id: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}

/** A label, the control (`children` given its attributes), a `hint` under it, and the error for it (the server's, or the form's own check). */
export function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: string; children: (a: ControlAttributes) => ComponentChildren }) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{label}</label>
      {children({ id, ...(error ? { 'aria-invalid': true } : {}), ...(describedBy ? { 'aria-describedby': describedBy } : {}) })}
      {hint ? (
        <small id={hintId} class="hint muted">
          {hint}
        </small>
      ) : null}
      {error ? (
        <span id={errorId} class="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** One dense layer as typed: units, activation and an optional input dimension (all text). */
export interface LayerRow {
  units: string;
  activation: string;
  inputDim: string;
}

const ACTIVATIONS = ['RELU', 'SIGMOID', 'SOFTMAX', 'TANH', 'LINEAR'];

/** The layers, one row each, with add and remove buttons. */
export function LayersEditor({ layers, setLayers, errors }: { layers: LayerRow[]; setLayers: (l: LayerRow[]) => void; errors: FieldErrors }) {
  const update = (i: number, patch: Partial<LayerRow>) => setLayers(layers.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  return (
    <fieldset class="layers">
      <legend>Dense layers</legend>
      {errors['spec.layers'] ? (
        <p class="field-error" role="alert">
          {errors['spec.layers']}
        </p>
      ) : null}
      <ol>
        {layers.map((l, i) => {
          const p = `spec.layers[${i}]`;
          return (
            <li key={i} class="grid">
              <Field id={`${p}.units`} label={`Layer ${i + 1} units`} error={errors[`${p}.units`] ?? errors[p]}>
                {(a) => <input {...a} inputMode="numeric" value={l.units} onInput={(e) => update(i, { units: e.currentTarget.value })} />}
              </Field>
              <Field id={`${p}.activation`} label={`Layer ${i + 1} activation`} error={errors[`${p}.activation`]}>
                {(a) => (
                  <select {...a} value={l.activation} onChange={(e) => update(i, { activation: e.currentTarget.value })}>
                    {ACTIVATIONS.map((x) => (
                      <option key={x}>{x}</option>
                    ))}
                  </select>
                )}
              </Field>
              {i === 0 ? (
                <Field id={`${p}.inputDim`} label="Input dimension (optional)" error={errors[`${p}.inputDim`]}>
                  {(a) => <input {...a} inputMode="numeric" value={l.inputDim} onInput={(e) => update(i, { inputDim: e.currentTarget.value })} />}
                </Field>
              ) : (
                <button type="button" class="secondary" onClick={() => setLayers(layers.filter((_, j) => j !== i))} aria-label={`Remove layer ${i + 1}`}>
                  Remove
                </button>
              )}
            </li>
          );
        })}
      </ol>
      <button type="button" class="secondary" onClick={() => setLayers([...layers.slice(0, -1), { units: '8', activation: 'RELU', inputDim: '' }, ...layers.slice(-1)])}>
        Add a hidden layer
      </button>
    </fieldset>
  );
}
