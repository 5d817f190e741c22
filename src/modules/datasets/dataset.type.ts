import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class ValueCount {
  @Field()
  value!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'A quantile of a numeric column (linear interpolation, as numpy.quantile).' })
export class Quantile {
  @Field(() => Float, { description: 'Level in [0, 1], e.g. 0.5 for the median.' })
  q!: number;

  @Field(() => Float)
  value!: number;
}

@ObjectType({ description: 'One equal-width histogram bin: lower <= x < upper (the last bin includes its upper edge).' })
export class HistogramBin {
  @Field(() => Float)
  lower!: number;

  @Field(() => Float)
  upper!: number;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'Inferred type and summary of one column.' })
export class ColumnSummary {
  @Field()
  name!: string;

  @Field({ description: "'numeric', 'categorical', 'boolean', 'text' or 'datetime'" })
  type!: string;

  @Field(() => Int, { description: 'Missing cells: empty, or one of missingCodes.' })
  missing!: number;

  @Field(() => [String], { nullable: true, description: 'Values declared as missing for this column at upload.' })
  missingCodes?: string[];

  @Field(() => Int, { description: 'Distinct present values.' })
  distinct!: number;

  @Field({ nullable: true, description: 'Numeric: whether every present value is an integer.' })
  integer?: boolean;

  @Field(() => Float, { nullable: true, description: 'Numeric; datetime in days since 1970-01-01.' })
  min?: number;

  @Field(() => Float, { nullable: true })
  max?: number;

  @Field(() => Float, { nullable: true })
  mean?: number;

  @Field(() => Float, { nullable: true, description: 'Population standard deviation.' })
  std?: number;

  @Field(() => [Quantile], { nullable: true, description: 'Numeric: 5th, 25th, 50th, 75th and 95th percentiles.' })
  quantiles?: Quantile[];

  @Field(() => [HistogramBin], { nullable: true, description: 'Numeric: 10 equal-width bins from min to max.' })
  histogram?: HistogramBin[];

  @Field(() => String, { nullable: true, description: 'Datetime: the earliest value, as written.' })
  earliest?: string;

  @Field(() => String, { nullable: true, description: 'Datetime: the latest value, as written.' })
  latest?: string;

  @Field(() => [ValueCount], { nullable: true, description: 'Non-numeric columns: the 20 most frequent values (top categories).' })
  topValues?: ValueCount[];
}

@ObjectType({ description: "A column's correlation with a target column." })
export class Correlation {
  @Field()
  column!: string;

  @Field(() => Float, { nullable: true, description: "Pearson's r on rows where both are present; null for a constant column." })
  pearson!: number | null;

  @Field(() => Int, { description: 'Rows where both values are present.' })
  rows!: number;
}

@InputType({ description: 'Cell values that mean "missing": in one column, or in every column when `column` is left out.' })
export class MissingValuesInput {
  @Field(() => String, { nullable: true })
  column?: string | null;

  @Field(() => [String], { description: "e.g. ['?'] or ['0']; a number also matches other spellings of it ('0.0')." })
  values!: string[];
}

@ObjectType({ description: 'An uploaded CSV, parsed and profiled.' })
export class Dataset {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  filename!: string | null;

  @Field(() => Int, { description: 'Size of the uploaded file, bytes.' })
  sizeBytes!: number;

  @Field(() => Int, { description: 'Data rows (header excluded).' })
  rowCount!: number;

  @Field()
  hasHeader!: boolean;

  @Field()
  delimiter!: string;

  @Field(() => [ColumnSummary])
  columns!: ColumnSummary[];

  @Field()
  createdAt!: Date;
}
