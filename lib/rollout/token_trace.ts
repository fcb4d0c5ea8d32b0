import type { Completion } from "../policy/types.ts";

/** What a token trace needs of a tokenizer: the model's own encode and decode. */
export interface TraceTokenizer {
  encode(text: string, options?: { addSpecialTokens?: boolean }): number[];
  decode(ids: readonly number[]): string;
}

/**
 * A trajectory as the model read and wrote it, token by token (verl's names): the prompt's ids,
 * then every token after it: the sampled ones (mask 1, with their behaviour log-probs) and the
 * inserted tool output (mask 0, no log-prob). The next generation step continues these ids as
 * they are, so what was sampled is never re-tokenized. A trace stops being exact when a step
 * comes back without ids or the text around a tool call was rewritten; it then holds no ids.
 */
export class TokenTrace {
  readonly promptIds: number[];
  responseIds: number[] = [];
  responseMask: number[] = [];
  responseLogprobs: (number | null)[] = [];
  #exact = true;

  constructor(private tokenizer: TraceTokenizer, prompt: string) {
    this.promptIds = tokenizer.encode(prompt);
  }

  /** Whether the ids are exactly what the model read and sampled. */
  get exact(): boolean {
    return this.#exact;
  }

  /** The ids the next generation step continues. */
  input(): number[] {
    return [...this.promptIds, ...this.responseIds];
  }

  /** Adds a step's sampled tokens; a step without ids ends exactness. */
  sampled(step: Completion): void {
    if (!this.#exact) return;
    if (!step.tokenIds || step.tokenIds.length !== step.completionTokens) {
      this.#lose();
      return;
    }
    this.responseIds.push(...step.tokenIds);
    this.responseMask.push(...step.tokenIds.map(() => 1));
    this.responseLogprobs.push(...step.tokenIds.map((_, i) => step.logprobs?.[i] ?? null));
  }

  /**
   * Adds what the loop inserted after the sampled tokens, given the whole completion text with it:
   * the text past what the response ids decode to is encoded and added with mask 0. When the
   * completion no longer begins with that text (the loop rewrote what was sampled), exactness ends.
   */
  inserted(completion: string): void {
    if (!this.#exact) return;
    const sofar = this.tokenizer.decode(this.responseIds);
    if (!completion.startsWith(sofar)) {
      this.#lose();
      return;
    }
    const ids = this.tokenizer.encode(completion.slice(sofar.length), { addSpecialTokens: false });
    this.responseIds.push(...ids);
    this.responseMask.push(...ids.map(() => 0));
    this.responseLogprobs.push(...ids.map(() => null));
  }

  #lose() {
    this.#exact = false;
    this.responseIds = [];
    this.responseMask = [];
    this.responseLogprobs = [];
  }
}
