/** The special tokens of the project's character-level tokenizer, in id order. */
export const charSpecialTokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<unk>"] as const;

/** ChatML, the chat template of Qwen2 models and of the project's own models. */
export const chatmlTemplate =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** The two files that describe a tokenizer in the HF layout. */
export interface TokenizerFiles {
  /** Contents of tokenizer.json. */
  tokenizer: Record<string, unknown>;
  /** Contents of tokenizer_config.json (special tokens, chat template). */
  tokenizerConfig: Record<string, unknown>;
}

/** The character-level vocabulary: special tokens, then tab, newline and printable ASCII. */
export function charVocabulary(): string[] {
  const chars = ["\t", "\n"];
  for (let c = 0x20; c <= 0x7e; c++) chars.push(String.fromCharCode(c));
  return [...charSpecialTokens, ...chars];
}

/**
 * Builds a character-level tokenizer in the HF tokenizer.json format: a BPE model whose vocabulary
 * is single characters with no merges, a Fuse decoder, and ChatML special tokens. Loads in
 * `@huggingface/tokenizers`, transformers.js and Python `tokenizers` alike.
 *
 * @example
 * ```ts
 * import { Tokenizer } from "@huggingface/tokenizers";
 * import { charTokenizer } from "./char_tokenizer.ts";
 * const files = charTokenizer();
 * const tok = new Tokenizer(files.tokenizer, files.tokenizerConfig);
 * const ids = tok.encode("x = 1\n").ids;
 * if (tok.decode(ids) !== "x = 1\n" || ids.length !== 6) throw new Error("no round trip");
 * ```
 */
export function charTokenizer(): TokenizerFiles {
  const vocab = charVocabulary();
  const specials = charSpecialTokens.map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  const tokenizer = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: specials,
    normalizer: null,
    pre_tokenizer: null,
    post_processor: null,
    decoder: { type: "Fuse" },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: "<unk>",
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(vocab.map((token, id) => [token, id])),
      merges: [],
    },
  };
  const tokenizerConfig = {
    add_bos_token: false,
    add_eos_token: false,
    added_tokens_decoder: Object.fromEntries(
      specials.map(({ id, ...rest }) => [String(id), rest]),
    ),
    additional_special_tokens: ["<|im_start|>", "<|im_end|>"],
    bos_token: null,
    eos_token: "<|im_end|>",
    pad_token: "<|endoftext|>",
    unk_token: "<unk>",
    chat_template: chatmlTemplate,
    clean_up_tokenization_spaces: false,
    model_max_length: 32768,
    tokenizer_class: "PreTrainedTokenizerFast",
  };
  return { tokenizer, tokenizerConfig };
}
