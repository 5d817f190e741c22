/**
 * The dataset, target column and model name of a training form (train.tsx, sweep-form.tsx): the
 * tenant's datasets (ConsoleTrainDatasets), the first one chosen unless `datasetId` is given, the
 * target defaulting to `Outcome` or the last column, the model name to `<dataset>-<suffix>`.
 */
import { useEffect, useState } from 'preact/hooks';
import { ConsoleTrainDatasetsDocument } from '../generated/graphql';
import { useQuery } from '../use-query';

/** The choice and its setters; `query` is the datasets' query state (for `<Loaded>`). */
export function useDatasetChoice(datasetId: string | undefined, suffix: string) {
  const query = useQuery(ConsoleTrainDatasetsDocument);
  const datasets = query.data?.datasetsConnection.edges.map((e) => e.node) ?? [];
  const [dataset, setDataset] = useState(datasetId ?? '');
  const [target, setTarget] = useState('');
  const [modelName, setModelName] = useState('');
  const chosen = datasets.find((d) => d.id === dataset) ?? datasets[0];
  useEffect(() => {
    if (!chosen) return;
    if (!dataset) setDataset(chosen.id);
    const names = chosen.columns.map((c) => c.name);
    if (!names.includes(target)) setTarget(names.includes('Outcome') ? 'Outcome' : (names[names.length - 1] ?? ''));
    if (!modelName) setModelName(`${chosen.name}-${suffix}`.replace(/[^\w.-]/g, '-').slice(0, 100));
  }, [chosen?.id]);
  return { query, datasets, chosen, dataset, setDataset, target, setTarget, modelName, setModelName };
}
