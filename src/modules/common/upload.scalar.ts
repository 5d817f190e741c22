/**
 * The `Upload` scalar: graphql-upload's, except that its value is a {@link PendingUpload} instead of
 * the upload's promise, so a file missing from the request (or cut off) is refused by the resolver
 * with a coded error naming the argument (read-upload.ts) rather than by type-graphql, which awaits
 * promise arguments before the resolver runs.
 */
import { GraphQLError, GraphQLScalarType } from 'graphql';
import GraphQLUpload from 'graphql-upload/GraphQLUpload.mjs';
import { PendingUpload } from './read-upload';

export const UploadScalar = new GraphQLScalarType<PendingUpload, never>({
  name: GraphQLUpload.name,
  description: GraphQLUpload.description,
  // graphql-upload's own refusals: a file arrives only as a variable of a multipart request.
  parseValue: (value) => new PendingUpload(GraphQLUpload.parseValue(value) as PendingUpload['file']),
  parseLiteral: (node) => {
    throw new GraphQLError('Upload literal unsupported.', { nodes: node });
  },
  serialize: () => {
    throw new GraphQLError('Upload serialization unsupported.');
  },
});
