import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class ValueCount {
  @Field()
  value!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'Inferred type and summary of one column.' })
export class ColumnSummary {
  @Field()
  name!: string;

  @Field({ description: "'numeric' or 'categorical'" })
  type!: string;

  @Field(() => Int, { description: 'Empty cells.' })
  missing!: number;

  @Field(() => Int, { description: 'Distinct non-empty values.' })
  distinct!: number;

  @Field(() => Float, { nullable: true })
  min?: number;

  @Field(() => Float, { nullable: true })
  max?: number;

  @Field(() => Float, { nullable: true })
  mean?: number;

  @Field(() => Float, { nullable: true, description: 'Population standard deviation.' })
  std?: number;

  @Field(() => [ValueCount], { nullable: true, description: 'Categorical columns: the 10 most frequent values.' })
  topValues?: ValueCount[];
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
