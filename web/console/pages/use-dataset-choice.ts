/**
 * The dataset, target column and model name of a training form (train.tsx, sweep-form.tsx): the
 * tenant's datasets (ConsoleTrainDatasets), the first one chosen unless `datasetId` is given, the
 * target defaulting to `Outcome` or the last column, the model name to `<dataset>-<suffix>`. The
 * defaults are worked out while rendering (not in an effect), so the form shows them as soon as
 * the datasets have loaded; a value the user typed or picked wins over its default.
 */
import { useState } from 'preact/hooks';
import { ConsoleTrainDatasetsDocument } from '../generated/graphql';
import { useQuery } from '../use-query';

/** The choice and its setters; `query` is the datasets' query state (for `<Loaded>`). */
export function useDatasetChoice(datasetId: string | undefined, suffix: string) {
  const query = useQuery(ConsoleTrainDatasetsDocument);
  const datasets = query.data?.datasetsConnection.edges.map((e) => e.node) ?? [];
  const [picked, setDataset] = useState(datasetId ?? '');
  const [typedTarget, setTarget] = useState<string | null>(null);
  const [typedName, setModelName] = useState<string | null>(null);
  const chosen = datasets.find((d) => d.id === picked) ?? datasets[0];
  const names = chosen?.columns.map((c) => c.name) ?? [];
  const dataset = picked || chosen?.id || '';
  // A target picked for another dataset falls back to this one's default.
  const target = typedTarget !== null && names.includes(typedTarget) ? typedTarget : names.includes('Outcome') ? 'Outcome' : (names[names.length - 1] ?? '');
  const modelName = typedName ?? (chosen ? `${chosen.name}-${suffix}`.replace(/[^\w.-]/g, '-').slice(0, 100) : '');
  return { query, datasets, chosen, dataset, setDataset, target, setTarget, modelName, setModelName };
}
