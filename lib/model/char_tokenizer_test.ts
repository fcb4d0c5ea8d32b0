import { Tokenizer } from "@huggingface/tokenizers";
import { Template } from "@huggingface/jinja";
import { charTokenizer, charVocabulary } from "./char_tokenizer.ts";

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

Deno.test("charTokenizer() encodes one token per character and decodes back exactly", () => {
  const files = charTokenizer();
  const tok = new Tokenizer(files.tokenizer, files.tokenizerConfig);
  const text = "def f(x):\n\treturn x**2  # ~`{}|\\\"'\n";
  const ids = tok.encode(text).ids;
  assert(ids.length === text.length, `${ids.length} ids for ${text.length} chars`);
  assert(tok.decode(ids) === text, `decoded ${JSON.stringify(tok.decode(ids))}`);
  const vocab = charVocabulary();
  assert(ids.every((id, i) => vocab[id] === text[i]), "ids do not index the vocabulary");
});

Deno.test("charTokenizer() keeps special tokens whole and its chat template renders ChatML", () => {
  const files = charTokenizer();
  const tok = new Tokenizer(files.tokenizer, files.tokenizerConfig);
  const template = new Template(files.tokenizerConfig.chat_template as string);
  const prompt = template.render({
    messages: [{ role: "user", content: "1+1?" }],
    add_generation_prompt: true,
  });
  assert(prompt === "<|im_start|>user\n1+1?<|im_end|>\n<|im_start|>assistant\n", prompt);
  const ids = tok.encode(prompt).ids;
  assert(ids[0] === 1 && ids.filter((id) => id === 2).length === 1, `specials split: ${ids}`);
  assert(
    tok.decode(ids, { skip_special_tokens: true }) === "user\n1+1?\nassistant\n",
    "skip specials",
  );
});
