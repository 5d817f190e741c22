/** GraphQL types of datasets: an uploaded CSV, its column profile, correlations, and missing-value codes. */
import { Node } from '../nodes/node.type';
import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { TextEncoding } from '../../ml/data/decode';
import { ImageProfile } from './image-dataset.type';
import { NamedEntity } from '../common/entity.type';
import { Nullable } from '../common/fields';

/** Text encodings an upload may declare: GraphQL names, valued by the standard names stored and taken by src/ml/data/decode.ts. */
export enum TextEncodingEnum {
  UTF_8 = 'UTF-8',
  ISO_8859_1 = 'ISO-8859-1',
}
registerEnumType(TextEncodingEnum, {
  name: 'TextEncoding',
  description: 'A text encoding: UTF_8, or ISO_8859_1 (Latin-1: one byte a character, as MovieLens u.item).',
});

/** Each enum value is one of decode.ts' encodings (checked by the compiler). */
export const asTextEncoding = (e: TextEncodingEnum): TextEncoding => e;

/** A value of a non-numeric column and how often it occurs. */
@ObjectType()
export class ValueCount {
  @Field({ description: 'The value, as written in the CSV.' })
  value!: string;

  @Field(() => Int, { description: 'Rows holding it.' })
  count!: number;
}

/** One quantile of a numeric column. */
@ObjectType({ description: 'A quantile of a numeric column (linear interpolation, as numpy.quantile).' })
export class Quantile {
  @Field(() => Float, { description: 'Level in [0, 1], e.g. 0.5 for the median.' })
  q!: number;

  @Field(() => Float)
  value!: number;
}

/** One bin of a numeric column's histogram. */
@ObjectType({ description: 'One equal-width histogram bin: lower <= x < upper (the last bin includes its upper edge).' })
export class HistogramBin {
  @Field(() => Float)
  lower!: number;

  @Field(() => Float)
  upper!: number;

  @Field(() => Int, { description: 'Present values in the bin.' })
  count!: number;
}

/** A token and how often it occurs. */
@ObjectType({ description: 'A token (lower-cased word) and its occurrences.' })
export class TokenCount {
  @Field()
  token!: string;

  @Field(() => Int)
  count!: number;
}

/** Tokens per row, vocabulary and frequent tokens of a text column. */
@ObjectType({ description: 'Text columns: tokens (lower-cased runs of letters and digits, as text models read them) per row, vocabulary size, most frequent tokens.' })
export class TextSummary {
  @Field(() => Int, { description: 'Fewest tokens in a present row.' })
  minTokens!: number;

  @Field(() => Float, { description: 'Median tokens per row.' })
  medianTokens!: number;

  @Field(() => Float, { description: '95th percentile of tokens per row (a sequence length that truncates 5 % of the rows).' })
  p95Tokens!: number;

  @Field(() => Int, { description: 'Most tokens in a row.' })
  maxTokens!: number;

  @Field(() => Float)
  meanTokens!: number;

  @Field(() => [HistogramBin], { description: 'Tokens per row, 10 equal-width bins.' })
  lengthHistogram!: HistogramBin[];

  @Field(() => Int, { description: 'Distinct tokens.' })
  vocabularySize!: number;

  @Field(() => [TokenCount], { description: 'The 20 most frequent tokens.' })
  topTokens!: TokenCount[];
}

/** The most frequent tokens of one class's texts. */
@ObjectType({ description: "One class of a target and the most frequent tokens of its rows' texts." })
export class ClassTokens {
  @Field({ description: 'The class label, as written.' })
  label!: string;

  @Field(() => Int, { description: 'Rows of the class with a present text.' })
  rows!: number;

  @Field(() => Int, { description: "Distinct tokens in the class's texts." })
  vocabularySize!: number;

  @Field(() => [TokenCount], { description: 'The 20 most frequent tokens.' })
  topTokens!: TokenCount[];
}

/** The profile of one column, computed at upload: type, missing cells and the summary its type allows. */
@ObjectType({ description: 'Inferred type and summary of one column.' })
export class ColumnSummary {
  @Field({ description: 'Header name (or a generated one when the file has no header).' })
  name!: string;

  @Field({ description: "'numeric', 'categorical', 'boolean', 'text' or 'datetime'" })
  type!: string;

  @Field(() => Int, { description: 'Missing cells: empty, or one of missingCodes.' })
  missing!: number;

  @Nullable([String], 'Values declared as missing for this column at upload.')
  missingCodes?: string[];

  @Field(() => Int, { description: 'Distinct present values.' })
  distinct!: number;

  @Nullable(Boolean, 'Numeric: whether every present value is an integer.')
  integer?: boolean;

  @Nullable(Float, 'Numeric; datetime in days since 1970-01-01.')
  min?: number;

  @Nullable(Float)
  max?: number;

  @Nullable(Float)
  mean?: number;

  @Nullable(Float, 'Population standard deviation.')
  std?: number;

  @Nullable([Quantile], 'Numeric: 5th, 25th, 50th, 75th and 95th percentiles.')
  quantiles?: Quantile[];

  @Nullable([HistogramBin], 'Numeric: 10 equal-width bins from min to max.')
  histogram?: HistogramBin[];

  @Nullable(String, 'Datetime: the earliest value, as written.')
  earliest?: string;

  @Nullable(String, 'Datetime: the latest value, as written.')
  latest?: string;

  @Nullable([ValueCount], 'Non-numeric columns: the 20 most frequent values (top categories).')
  topValues?: ValueCount[];

  @Nullable(TextSummary, "Text columns (type 'text'): tokens per row, vocabulary size and most frequent tokens.")
  text?: TextSummary;
}

/** How strongly one column moves with a target column (Dataset.correlations). */
@ObjectType({ description: "A column's correlation with a target column." })
export class Correlation {
  @Field()
  column!: string;

  @Nullable(Float, "Pearson's r on rows where both are present; null for a constant column.")
  pearson!: number | null;

  @Field(() => Int, { description: 'Rows where both values are present.' })
  rows!: number;
}

/** One column's row of a correlation matrix. */
@ObjectType({ description: "A column's row of the correlation matrix: its r with each of the matrix's columns, in order." })
export class CorrelationRow {
  @Field()
  column!: string;

  @Field(() => [Float], { nullable: 'items', description: "Pearson's r with each column on the rows where both are present (1 with itself); null when a column is constant." })
  pearson!: (number | null)[];
}

/** Pearson's r between every pair of numeric columns (Dataset.correlationMatrix). */
@ObjectType({ description: "Pearson's r between every pair of a dataset's numeric, boolean and datetime columns (as pandas' DataFrame.corr()); symmetric." })
export class CorrelationMatrix {
  @Field(() => [String], { description: 'The columns, in file order (at most the first 40).' })
  columns!: string[];

  @Field(() => [CorrelationRow], { description: 'One per column, in the same order.' })
  rows!: CorrelationRow[];

  @Field(() => Int, { description: 'Numeric columns past the first 40, left out.' })
  omitted!: number;
}

/** Codes that mean "missing" in a CSV, declared at upload or in a training spec's preprocessing. */
@InputType({ description: 'Cell values that mean "missing": in one column, or in every column when `column` is left out.' })
export class MissingValuesInput {
  @Nullable(String)
  column?: string | null;

  @Field(() => [String], { description: "e.g. ['?'] or ['0']; a number also matches other spellings of it ('0.0')." })
  values!: string[];
}

/** An uploaded CSV of a tenant, parsed and profiled at upload; training runs and batch predictions read it. */
@ObjectType({ description: 'An uploaded CSV, parsed and profiled.', implements: Node })
export class Dataset extends NamedEntity {
  @Nullable(String, 'Name of the uploaded file; null for inline csv text.')
  filename!: string | null;

  @Field(() => Int, { description: 'Size of the uploaded file, bytes.' })
  sizeBytes!: number;

  @Field(() => Int, { description: 'Data rows (header excluded).' })
  rowCount!: number;

  @Nullable(String, 'sha256 (hex) of the stored bytes (the CSV as uploaded; the decoded image container), recorded in the lineage of the versions it trains.')
  checksum!: string | null;

  @Field({ description: 'Whether the first row is a header (detected, or as given at upload).' })
  hasHeader!: boolean;

  @Field({ description: 'The detected field delimiter, e.g. "," or ";".' })
  delimiter!: string;

  @Field({ description: 'Whether `"` quotes fields (false: quotes are read as text).' })
  quoting!: boolean;

  @Nullable(TextEncodingEnum, 'The encoding the text was read with (declared, or detected at upload); null for datasets uploaded before it was recorded.')
  encoding!: TextEncodingEnum | null;

  @Field(() => [ColumnSummary], { description: 'One per column, in file order (empty for image datasets).' })
  columns!: ColumnSummary[];

  @Field({ description: "'csv', or 'image' for an image dataset (uploadImageDataset)." })
  format!: string;

  @Field(() => ImageProfile, { nullable: true, description: 'Image datasets: size, classes and pixel statistics.' })
  imageProfile?: ImageProfile | null;
}
