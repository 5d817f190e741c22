/** Spec inputs of TEXT_CLASSIFIER: the layers between the token ids and the dense head (Keras names). */
import { InputType, Int } from 'type-graphql';
import { lowerCaseEnum, type EnumValue } from '../common/enum';
import { Nullable } from '../common/fields';

/** What follows the embedding. */
export const TextArchitecture = lowerCaseEnum('TextArchitecture', ['AVERAGE_POOLING', 'CONV1D'], {
  description: 'AVERAGE_POOLING: GlobalAveragePooling1D over the token embeddings. CONV1D: Conv1D(filters, kernelSize, relu) then GlobalMaxPooling1D.',
});
export type TextArchitecture = EnumValue<typeof TextArchitecture>;

/** TEXT_CLASSIFIER options. */
@InputType({ description: 'TEXT_CLASSIFIER options: Embedding(vocabulary, embeddingDim) → pooling (or conv1d) → spec.layers. The tokenizer is the TOKEN_SEQUENCE step.' })
export class TextModelInput {
  @Nullable(Int, 'Floats per token embedding, in [1, 512]. (Default: 16)')
  embeddingDim?: number;

  @Nullable(TextArchitecture, '(Default: AVERAGE_POOLING)')
  architecture?: TextArchitecture;

  @Nullable(Int, 'CONV1D only: filters, in [1, 1024]. (Default: 64)')
  filters?: number;

  @Nullable(Int, 'CONV1D only: window in tokens, in [1, 16]. (Default: 3)')
  kernelSize?: number;
}
