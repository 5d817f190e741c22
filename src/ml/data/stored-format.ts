/**
 * How a stored dataset's bytes are read again (training, batch prediction, correlations): exactly
 * as at upload — same delimiter, header, quoting, encoding and column names, and the missing
 * codes declared then.
 */
import type { CsvOptions } from './csv';
import type { TextEncoding } from './decode';
import { declaredMissing, type ColumnProfile } from './profile';

/** The parts of a stored Dataset row that say how its CSV was parsed. */
export interface StoredCsvFormat {
  hasHeader: boolean;
  delimiter: string;
  /** Null for datasets stored before quoting was recorded: they were read with quotes. */
  quoting?: boolean | null;
  /** Null for datasets stored before the encoding was recorded: detected again, as then. */
  encoding?: string | null;
  columns: ColumnProfile[];
}

/** CSV options that parse a stored dataset as its upload did (column names from its profile). */
export function storedCsvOptions(dataset: StoredCsvFormat): CsvOptions {
  return {
    hasHeader: dataset.hasHeader,
    delimiter: dataset.delimiter,
    quoting: dataset.quoting ?? true,
    encoding: (dataset.encoding as TextEncoding | null | undefined) ?? undefined,
    columnNames: dataset.columns.map((c) => c.name),
    missing: declaredMissing(dataset.columns),
  };
}
