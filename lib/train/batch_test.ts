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

Deno.test("encodeRecord() from text uses log-probs only one to one, and says it re-tokenized", () => {
  const base = {
    problemId: "p",
    prompt: "Q",
    completion: "ab",
    reward: 0,
    imitate: false,
    reinforce: true,
  };
  const e = encodeRecord({ ...base, logprobs: [-0.5, -0.25] }, tokenizer, {
    maxLength: 50,
    eos: 0,
  });
  assert.deepEqual(e.behaviour.map((v) => (Number.isNaN(v) ? null : v)), [null, -0.5, -0.25]);
  assert.equal(e.retokenized, true);
  // One log-prob more than the re-encoded tokens: no guess at where they go, and no end appended.
  const off = encodeRecord({ ...base, logprobs: [-0.5, -0.25, -2] }, tokenizer, {
    maxLength: 50,
    eos: 0,
  });
  assert.deepEqual(off.generated, [0, 1, 1]);
  assert.ok(off.behaviour.every(Number.isNaN));
  const truncated = encodeRecord({ ...base, completion: "abcd" }, tokenizer, {
    maxLength: 3,
    eos: 0,
  });
  assert.equal(truncated.ids.length, 3);
});

Deno.test("encodeRecord() reads a token-native record as it is: ids, mask, log-probs", () => {
  const q = tokenizer.encode("Q: ", { addSpecialTokens: false });
  const record = {
    problemId: "p",
    prompt: "Q: ",
    completion: "ab",
    reward: 1,
    imitate: false,
    reinforce: true,
    tokens: {
      promptIds: q,
      // A special token (1) the text does not show, tool output (mask 0), the end (0).
      responseIds: [5, 1, 6, 7, 7, 0],
      responseMask: [1, 1, 1, 0, 0, 1],
      responseLogprobs: [-1, -2, -3, null, null, -4],
    },
  };
  const e = encodeRecord(record, tokenizer, { maxLength: 50, eos: 2 });
  assert.deepEqual(e.ids, [...q, 5, 1, 6, 7, 7, 0]);
  assert.deepEqual(e.generated, [...q.map(() => 0), 1, 1, 1, 0, 0, 1]);
  assert.deepEqual(e.behaviour.slice(q.length).map((v) => (Number.isNaN(v) ? null : v)), [
    -1,
    -2,
    -3,
    null,
    null,
    -4,
  ]);
  assert.equal(e.retokenized, false);
  // Imitated with the mode's trigger moved into the completion: the same ids, the trigger's
  // tokens at the prompt's end trained too.
  const trigger = tokenizer.encode("Go.\n", { addSpecialTokens: false });
  const moved = encodeRecord(
    {
      ...record,
      imitate: true,
      reinforce: false,
      tokens: { ...record.tokens, promptIds: [...q, ...trigger] },
      openWith: "Go.\n",
    },
    tokenizer,
    { maxLength: 50, eos: 2 },
  );
  assert.deepEqual(moved.generated.slice(0, q.length + trigger.length), [
    ...q.map(() => 0),
    ...trigger.map(() => 1),
  ]);
});
