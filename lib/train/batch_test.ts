import assert from "node:assert/strict";
import { charTokenizer } from "../model/char_tokenizer.ts";
import { createTokenizer } from "../policy/tokenizer.ts";
import { encodeRecord } from "./batch.ts";

const files = charTokenizer();
const tokenizer = createTokenizer(files.tokenizer, files.tokenizerConfig);

Deno.test("encodeRecord() trains on what the model wrote: not the prompt, not the tool's output", () => {
  const e = encodeRecord(
    {
      problemId: "p",
      prompt: "Q: 1+1?\nA: ",
      completion: "```python\nprint(1+1)\n```\n```output\n2\n```\nSo \\boxed{2}.",
      reward: 1,
      imitate: true,
      reinforce: false,
      eos: true,
    },
    tokenizer,
    { maxLength: 500, eos: 0 },
  );
  const shown = e.ids.map((id, i) => (e.generated[i] ? tokenizer.decode([id]) : "_")).join("");
  assert.equal(shown, "___________```python\nprint(1+1)\n```\n```output_______So \\boxed{2}.");
  assert.equal(e.ids.at(-1), 0, "ends with end-of-sequence");
  assert.equal(e.generated.at(-1), 1);
});

Deno.test("encodeRecord() aligns behaviour log-probs with the sampled tokens, from the end", () => {
  const e = encodeRecord(
    {
      problemId: "p",
      prompt: "Q",
      completion: "ab",
      reward: 0,
      imitate: false,
      reinforce: true,
      logprobs: [-0.5, -0.25],
    },
    tokenizer,
    { maxLength: 50, eos: 0 },
  );
  assert.deepEqual(e.behaviour.map((v) => (Number.isNaN(v) ? null : v)), [null, -0.5, -0.25]);
  const truncated = encodeRecord(
    {
      problemId: "p",
      prompt: "Q",
      completion: "abcd",
      reward: 0,
      imitate: false,
      reinforce: true,
    },
    tokenizer,
    { maxLength: 3, eos: 0 },
  );
  assert.equal(truncated.ids.length, 3);
});
