/**
 * A prompt that does not fit the model's context (prompt tokens plus at least one new token above
 * `max_position_embeddings`, or a server's `max_model_len`). It fails the same way every time, so
 * it is never retried: a rollout records it as an error of its own kind.
 */
export class PromptTooLongError extends RangeError {
  override name = "PromptTooLongError";
  constructor(
    message: string,
    /** The prompt's tokens and the context, when known. */
    readonly sizes: { promptTokens?: number; maxModelLen?: number } = {},
  ) {
    super(message);
  }
}
