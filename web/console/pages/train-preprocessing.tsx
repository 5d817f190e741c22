/**
 * The training form's preprocessing (train.tsx): standardise numeric features (`spec.standardize`),
 * more missing-value codes for every column (`spec.preprocessing.missingValues`, added to those
 * declared at upload), drop rows whose target is missing, and train a regression network on the
 * standardised target. The default pipeline (impute, one-hot, TF-IDF, standardise) stays the server's.
 */
import { Field } from './train-fields';

/** The preprocessing choices as the form holds them. */
export interface PreprocessingChoice {
  standardize: boolean;
  /** Comma-separated codes, e.g. `?, NA`. */
  missingCodes: string;
  dropMissingTarget: boolean;
  standardizeTarget: boolean;
}

export const DEFAULT_PREPROCESSING: PreprocessingChoice = { standardize: true, missingCodes: '', dropMissingTarget: true, standardizeTarget: false };

/** The fields the server may name in an error about them (field-errors.ts places it). */
export const PREPROCESSING_FIELDS = [
  'spec.standardize',
  'spec.preprocessing',
  'spec.preprocessing.missingValues',
  'spec.preprocessing.dropMissingTarget',
  'spec.preprocessing.standardizeTarget',
];

/** The spec's part: `standardize` and `preprocessing` (missing-value codes only when some are given). */
export function preprocessingSpec(p: PreprocessingChoice) {
  const codes = p.missingCodes
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  return {
    standardize: p.standardize,
    preprocessing: {
      dropMissingTarget: p.dropMissingTarget,
      standardizeTarget: p.standardizeTarget,
      ...(codes.length ? { missingValues: [{ values: codes }] } : {}),
    },
  };
}

/** The preprocessing fieldset. */
export function PreprocessingFields({
  value,
  onChange,
  errors,
}: {
  value: PreprocessingChoice;
  onChange: (p: PreprocessingChoice) => void;
  errors: Record<string, string | undefined>;
}) {
  const set = (patch: Partial<PreprocessingChoice>) => onChange({ ...value, ...patch });
  return (
    <fieldset class="grid">
      <legend>Preprocessing</legend>
      <Field id="spec.standardize" label="Standardise numeric features" error={errors['spec.standardize']}>
        {(a) => <input {...a} type="checkbox" checked={value.standardize} onChange={(e) => set({ standardize: e.currentTarget.checked })} />}
      </Field>
      <Field id="spec.preprocessing.missingValues" label="Missing-value codes (e.g. ?, NA)" error={errors['spec.preprocessing.missingValues'] ?? errors['spec.preprocessing']}>
        {(a) => <input {...a} value={value.missingCodes} onInput={(e) => set({ missingCodes: e.currentTarget.value })} />}
      </Field>
      <Field id="spec.preprocessing.dropMissingTarget" label="Drop rows whose target is missing" error={errors['spec.preprocessing.dropMissingTarget']}>
        {(a) => <input {...a} type="checkbox" checked={value.dropMissingTarget} onChange={(e) => set({ dropMissingTarget: e.currentTarget.checked })} />}
      </Field>
      <Field id="spec.preprocessing.standardizeTarget" label="Standardise the target (regression)" error={errors['spec.preprocessing.standardizeTarget']}>
        {(a) => <input {...a} type="checkbox" checked={value.standardizeTarget} onChange={(e) => set({ standardizeTarget: e.currentTarget.checked })} />}
      </Field>
    </fieldset>
  );
}
