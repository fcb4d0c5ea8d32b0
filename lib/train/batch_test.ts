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

Deno.test("encodeRecord() appends the end-of-sequence a sampler stopped on (one log-prob more)", () => {
  const e = encodeRecord(
    {
      problemId: "p",
      prompt: "Q",
      completion: "ab",
      reward: 0,
      imitate: false,
      reinforce: true,
      logprobs: [-0.5, -0.25, -2],
    },
    tokenizer,
    { maxLength: 50, eos: 0 },
  );
  assert.equal(e.ids.at(-1), 0);
  assert.deepEqual(e.generated, [0, 1, 1, 1]);
  assert.deepEqual(e.behaviour.slice(1), [-0.5, -0.25, -2]);
});

Deno.test("encodeRecord() trains the sampler's own token ids where the text re-encodes differently", () => {
  const ab = tokenizer.encode("ab", { addSpecialTokens: false });
  const xy = tokenizer.encode("xy", { addSpecialTokens: false });
  // One model part: a special token (id 1) sampled mid-way that decodes to nothing, then end (0).
  const single = encodeRecord(
    {
      problemId: "p",
      prompt: "Q",
      completion: "ab",
      reward: 0,
      imitate: false,
      reinforce: true,
      tokenIds: [ab[0], 1, ab[1], 0],
      logprobs: [-1, -2, -3, -4],
    },
    tokenizer,
    { maxLength: 50, eos: 2 },
  );
  assert.deepEqual(single.ids.slice(1), [ab[0], 1, ab[1], 0]);
  assert.deepEqual(single.behaviour.slice(1), [-1, -2, -3, -4]);
  // Two turns around a tool output: the sampled ids fill the model's parts in order.
  const completion = "ab```output\n4\n```\nxy";
  const turns = encodeRecord(
    {
      problemId: "p",
      prompt: "Q",
      completion,
      reward: 0,
      imitate: false,
      reinforce: true,
      tokenIds: tokenizer.encode("ab```output", { addSpecialTokens: false }).concat(xy, [0]),
    },
    tokenizer,
    { maxLength: 80, eos: 2 },
  );
  assert.equal(turns.ids.at(-1), 0, "the end token the sampler chose, not options.eos");
  assert.equal(turns.generated.filter((g) => g === 1).length, 2 + 9 + 2 + 1);
});
