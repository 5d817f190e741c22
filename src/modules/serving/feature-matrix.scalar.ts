/** The GraphQL scalar `FeatureMatrix` (see feature-matrix.ts for the shape and its checks). */
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { badInput } from '../../lib/errors';
import { checkFeatureMatrix, type FeatureMatrix } from './feature-matrix';

export type { FeatureMatrix };

function literal(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literal(f.value)]));
    case Kind.LIST:
      return node.values.map(literal);
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    default:
      throw badInput('matrix cannot use variables inside the literal');
  }
}

export const FeatureMatrixScalar = new GraphQLScalarType<FeatureMatrix, FeatureMatrix>({
  name: 'FeatureMatrix',
  description: 'Bulk rows: { "columns": [name, …], "rows": [[value, …], …] }, one value per column; null = missing.',
  parseValue: checkFeatureMatrix,
  parseLiteral: (node) => checkFeatureMatrix(literal(node)),
  serialize: (v) => v as FeatureMatrix,
});
