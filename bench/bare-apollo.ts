/**
 * The bench's framework anchor: a bare Apollo Server 5 on its own standalone HTTP server (no
 * plugins, no express), one no-op resolver with predict's argument and result shape, answering the
 * same payload as our no-op. What the framework itself costs per request, for our figures to be read against.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { GraphQLJSONObject } from 'graphql-scalars';

const typeDefs = /* GraphQL */ `
  scalar JSONObject
  type Prediction {
    label: String
    probability: Float
    probabilities: [Float!]
    value: Float
  }
  type PredictionResult {
    modelName: String!
    version: Int!
    modelVersionId: ID!
    predictions: [Prediction!]!
  }
  type Query {
    benchNoopPredict(model: String!, version: Int, rows: [JSONObject!]!): PredictionResult!
  }
`;
const CONSTANT = { modelName: 'noop', version: 1, modelVersionId: 'noop', predictions: [{ label: '0', probability: 0.5, probabilities: [0.5, 0.5] }] };

async function main() {
  const server = new ApolloServer({ typeDefs, resolvers: { JSONObject: GraphQLJSONObject, Query: { benchNoopPredict: () => CONSTANT } } });
  const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT), host: '127.0.0.1' } });
  console.log(`ready at ${url}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
