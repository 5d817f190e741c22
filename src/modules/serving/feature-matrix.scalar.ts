/** The GraphQL scalar `FeatureMatrix` (see feature-matrix.ts for the shape and its checks). */
import { GraphQLScalarType } from 'graphql';
import { checkJsonValue, jsonLiteral } from '../common/json.scalar';
import { checkFeatureMatrix, type FeatureMatrix } from './feature-matrix';

export type { FeatureMatrix };

export const FeatureMatrixScalar = new GraphQLScalarType<FeatureMatrix, FeatureMatrix>({
  name: 'FeatureMatrix',
  description: 'Bulk rows: { "columns": [name, …], "rows": [[value, …], …] }, one value per column; null = missing.',
  parseValue: (v) => {
    checkJsonValue(v, 'matrix');
    return checkFeatureMatrix(v);
  },
  parseLiteral: (node, variables) => checkFeatureMatrix(jsonLiteral(node, variables, 'matrix')),
  serialize: (v) => v as FeatureMatrix,
});
