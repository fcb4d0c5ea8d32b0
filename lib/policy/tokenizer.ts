import { join } from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";
import { Template } from "@huggingface/jinja";
import type { ChatMessage } from "./types.ts";

/** A model's tokenizer with its chat template and special ids, loaded from the HF files. */
export interface PolicyTokenizer {
  encode(text: string, options?: { addSpecialTokens?: boolean }): number[];
  /** Decodes ids; special tokens are skipped unless asked. */
  decode(ids: readonly number[], options?: { keepSpecial?: boolean }): string;
  /**
   * Renders chat messages with the model's template. By default the rendering ends with the
   * generation prompt (the assistant's turn opened); with `continueFinalMessage` the last message
   * (the assistant's partial answer) is left open for the model to continue.
   */
  applyChatTemplate(messages: ChatMessage[], options?: ChatTemplateOptions): string;
  /** Token id of a token string, if it is in the vocabulary. */
  tokenToId(token: string): number | undefined;
  /** Whether the model ships a chat template. */
  readonly hasChatTemplate: boolean;
  /** The chat template's Jinja source, when there is one. */
  readonly chatTemplate?: string;
}

/** Options of {@linkcode PolicyTokenizer.applyChatTemplate}. */
export interface ChatTemplateOptions {
  /** Leave the final message open instead of adding the generation prompt (vLLM's flag). */
  continueFinalMessage?: boolean;
}

/**
 * Loads tokenizer.json and tokenizer_config.json (special tokens, chat template) from a model
 * folder.
 */
export async function loadTokenizer(dir: string): Promise<PolicyTokenizer> {
  const read = async (file: string) => {
    const path = join(dir, file);
    try {
      return JSON.parse(await Deno.readTextFile(path));
    } catch (error) {
      throw new Error(`Cannot load tokenizer: ${(error as Error).message} (${path})`);
    }
  };
  const tokenizerJson = await read("tokenizer.json");
  let config: Record<string, unknown> = {};
  try {
    config = await read("tokenizer_config.json");
  } catch {
    // A tokenizer.json alone is enough for plain prompts.
  }
  return createTokenizer(tokenizerJson, config);
}

/** Wraps parsed tokenizer.json and tokenizer_config.json objects. */
export function createTokenizer(
  tokenizerJson: Record<string, unknown>,
  config: Record<string, unknown>,
): PolicyTokenizer {
  const tok = new Tokenizer(tokenizerJson, config);
  let source = config.chat_template as string | { name: string; template: string }[] | undefined;
  if (Array.isArray(source)) source = source.find((t) => t.name === "default")?.template;
  const template = source ? new Template(source) : undefined;
  const special = (key: string) => {
    const v = config[key] as string | { content: string } | null | undefined;
    return typeof v === "string" ? v : v?.content ?? "";
  };
  return {
    hasChatTemplate: template !== undefined,
    chatTemplate: source,
    encode: (text, options = {}) =>
      tok.encode(text, { add_special_tokens: options.addSpecialTokens ?? true }).ids,
    decode: (ids, options = {}) =>
      tok.decode(ids as number[], {
        skip_special_tokens: !options.keepSpecial,
        clean_up_tokenization_spaces: false,
      }),
    tokenToId: (token) => tok.token_to_id(token),
    applyChatTemplate(messages, options = {}) {
      if (!template) {
        throw new Error("Cannot apply chat template: tokenizer_config.json has no chat_template");
      }
      const rendered = template.render({
        messages,
        add_generation_prompt: !options.continueFinalMessage,
        bos_token: special("bos_token"),
        eos_token: special("eos_token"),
      });
      return options.continueFinalMessage ? openFinalMessage(rendered, messages) : rendered;
    },
  };
}

/**
 * Cuts a rendered chat right after the final message's content, so the model continues it, the
 * way transformers' `apply_chat_template(continue_final_message=True)` does (and so vLLM, which
 * calls it): the last occurrence of the stripped content is found; its trailing whitespace is
 * kept when the template kept it.
 */
export function openFinalMessage(rendered: string, messages: ChatMessage[]): string {
  const final = messages.at(-1)?.content ?? "";
  const stripped = final.trim();
  const at = stripped === "" ? -1 : rendered.lastIndexOf(stripped);
  if (at < 0) {
    throw new Error(
      "Cannot continue the final message: it does not appear in the rendered chat (the chat template drops it, or it is empty)",
    );
  }
  const kept = final.trimStart();
  const end = rendered.slice(at, at + kept.length) === final
    ? at + kept.length
    : at + stripped.length;
  return rendered.slice(0, end);
}
