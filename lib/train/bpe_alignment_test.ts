import assert from "node:assert/strict";
import { createTokenizer } from "../policy/tokenizer.ts";
import { TokenTrace } from "../rollout/token_trace.ts";
import { encodeRecord, makeBatch } from "./batch.ts";
import type { TrainRecord } from "./records.ts";

/** A byte-pair tokenizer trained by tests/fixtures/bpe/train_bpe.ts: merges cross words. */
const bpe = createTokenizer(
  JSON.parse(
    await Deno.readTextFile(new URL("../../tests/fixtures/bpe/tokenizer.json", import.meta.url)),
  ),
  { eos_token: "<|endoftext|>" },
);
const char = (text: string) => [...text].map((c) => bpe.tokenToId(c)!);

Deno.test("with a BPE tokenizer, the loss sees each stored behaviour log-prob on its own token", () => {
  // A multi-turn TIR trajectory as a sampler writes it: BPE lets the model spell text in tokens
  // that re-encoding does not give back (here, character by character where merges exist).
  const prompt = "Problem: What is 12 times 5?\nSolution: ";
  const trace = new TokenTrace(bpe, prompt);
  const first = [
    ...char("x = 12 * 5"),
    ...bpe.encode("\nprint(x)\n```\n```output", {
      addSpecialTokens: false,
    }),
  ];
  const turn = (ids: number[], from: number) => ({
    text: bpe.decode(ids),
    finishReason: "stop" as const,
    promptTokens: 0,
    completionTokens: ids.length,
    tokenIds: ids,
    logprobs: ids.map((_, i) => -0.01 * (from + i + 1)),
  });
  trace.sampled(turn(first, 0));
  const withOutput = bpe.decode(first) + "\n60\n```\n";
  trace.inserted(withOutput);
  const second = [...char("So the answer is \\boxed{60}."), 0];
  trace.sampled(turn(second, first.length));
  assert.ok(trace.exact);
  assert.ok(trace.responseMask.includes(0), "tool output is in the response, masked");

  const record: TrainRecord = {
    problemId: "p",
    prompt,
    completion: withOutput + "So the answer is \\boxed{60}.",
    reward: 1,
    imitate: false,
    reinforce: true,
    tokens: {
      promptIds: trace.promptIds,
      responseIds: trace.responseIds,
      responseMask: trace.responseMask,
      responseLogprobs: trace.responseLogprobs,
    },
  };
  const reencoded = bpe.encode(record.completion, { addSpecialTokens: false }).length;
  assert.notEqual(reencoded, trace.responseIds.length, "re-encoding gives other tokens");

  const encoded = encodeRecord(record, bpe, { maxLength: 4096, eos: 0 });
  const batch = makeBatch([encoded], [record], [1], 0);
  const [targets, pg, behaviour, has] = [
    batch.targets.dataSync(),
    batch.pgMask.dataSync(),
    batch.behaviour.dataSync(),
    batch.hasBehaviour.dataSync(),
  ];
  const seen: { token: number; logprob: number }[] = [];
  for (let t = 0; t < targets.length; t++) {
    if (pg[t] !== 1) continue;
    assert.equal(has[t], 1, `position ${t} has its behaviour log-prob`);
    seen.push({ token: targets[t], logprob: behaviour[t] });
  }
  const stored = trace.responseIds.flatMap((id, i) =>
    trace.responseMask[i] ? [{ token: id, logprob: Math.fround(trace.responseLogprobs[i]!) }] : []
  );
  assert.deepEqual(seen, stored);
});
