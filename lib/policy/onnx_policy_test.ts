import type { onnx as OnnxTypes } from "onnx-proto";
import onnxProto from "onnx-proto";
import { referenceForward } from "../model/mod.ts";
import { createOnnxPolicy } from "./onnx_policy.ts";
import { tinyModel } from "./_test_model.ts";

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

const prompts = [
  "1+1=",
  "Compute 12*7.",
  "x",
  "def f(n):\n  return",
  "What is the sum of 3 and 4?",
  "ab",
  "0",
];

Deno.test("onnx policy: batched greedy decoding with rows leaving and joining equals one-by-one", async () => {
  const { dir } = await tinyModel(3);
  const batched = await createOnnxPolicy(dir, { maxBatch: 3 });
  const single = await createOnnxPolicy(dir, { maxBatch: 1 });
  try {
    // Prompts of very different lengths first: the first admission prefills them in two groups
    // (30 | 650, 700). Then different budgets make rows finish at different steps, so waiting
    // rows join mid-run.
    const requests = [650, 30, 700, 300, 90].map((length) => ({
      prompt: "Let n be 12. ".repeat(60).slice(0, length),
      maxNewTokens: 8,
    }));
    requests.push(...prompts.map((prompt, i) => ({ prompt, maxNewTokens: 6 + 5 * (i % 3) })));
    const together = await batched.generate(requests, { temperature: 0 });
    for (let i = 0; i < requests.length; i++) {
      const [alone] = await single.generate([requests[i]], { temperature: 0 });
      const a = together[i].completions[0];
      const b = alone.completions[0];
      assert(
        a.tokenIds!.join() === b.tokenIds!.join(),
        `request ${i}: ${a.tokenIds} vs ${b.tokenIds}`,
      );
      assert(a.text === b.text && a.finishReason === b.finishReason, `request ${i} differs`);
      assert(a.promptTokens === requests[i].prompt.length, `prompt tokens ${a.promptTokens}`);
    }
  } finally {
    await batched.close();
    await single.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("onnx policy: logprobs equal the reference model's log-softmax of each sampled token", async () => {
  const { dir, config, weights } = await tinyModel(4);
  const policy = await createOnnxPolicy(dir);
  try {
    const prompt = "2*3=";
    const [result] = await policy.generate([{ prompt, maxNewTokens: 8, logprobs: true, seed: 9 }]);
    const c = result.completions[0];
    assert(c.logprobs!.length === c.completionTokens, "one logprob per token");
    const promptIds = [...prompt].map((ch) => ch.charCodeAt(0) - 0x20 + 6);
    const all = [...promptIds, ...c.tokenIds!];
    const logits = referenceForward(config, weights, all.slice(0, -1));
    const v = config.vocab_size;
    c.tokenIds!.forEach((token, i) => {
      const row = logits.subarray((promptIds.length - 1 + i) * v, (promptIds.length + i) * v);
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
      const expected = row[token] - lse;
      assert(
        Math.abs(expected - c.logprobs![i]) < 1e-4,
        `token ${i}: ${c.logprobs![i]} vs ${expected}`,
      );
    });
  } finally {
    await policy.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("onnx policy: seeded sampling is reproducible and n samples differ", async () => {
  const { dir } = await tinyModel(5);
  const policy = await createOnnxPolicy(dir, { maxBatch: 4 });
  try {
    const request = {
      prompt: "Let x be",
      maxNewTokens: 24,
      n: 3,
      seed: 42,
      temperature: 1.2,
      topP: 0.95,
      topK: 50,
    };
    const [a] = await policy.generate([request]);
    const [b] = await policy.generate([{ prompt: "other" }, request]).then((r) => r.slice(1));
    const [c] = await policy.generate([{ ...request, seed: 43 }]);
    const ids = (r: typeof a) => r.completions.map((x) => x.tokenIds!.join());
    assert(ids(a).join("|") === ids(b).join("|"), "same seed, different output");
    assert(new Set(ids(a)).size === 3, "n samples are identical");
    assert(ids(a).join("|") !== ids(c).join("|"), "seed ignored");
  } finally {
    await policy.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("onnx policy: stop strings cut the text, the token budget ends with length", async () => {
  const { dir } = await tinyModel(6);
  const policy = await createOnnxPolicy(dir);
  try {
    const [free] = await policy.generate([{
      prompt: "abc",
      maxNewTokens: 30,
      temperature: 1,
      seed: 1,
    }]);
    const full = free.completions[0];
    assert(
      full.finishReason === "length" && full.completionTokens === 30,
      `${full.finishReason} ${full.completionTokens}`,
    );
    const stop = full.text.slice(10, 12);
    const at = full.text.indexOf(stop);
    const [cut] = await policy.generate([
      { prompt: "abc", maxNewTokens: 30, temperature: 1, seed: 1, stop: ["\u0000never", stop] },
    ]);
    const c = cut.completions[0];
    assert(c.finishReason === "stop" && c.stop === stop, `finish ${c.finishReason} ${c.stop}`);
    assert(c.text === full.text.slice(0, at), `text ${JSON.stringify(c.text)}`);
    assert(c.completionTokens === at + stop.length, `tokens ${c.completionTokens}`);
  } finally {
    await policy.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("onnx policy: the end-of-sequence token ends a completion with eos; chat uses the template", async () => {
  // A zero final norm makes every logit 0, so greedy picks id 0 = <|endoftext|>, an eos id.
  const { dir } = await tinyModel(7, (w) => w.get("model.norm.weight")!.data.fill(0));
  const policy = await createOnnxPolicy(dir);
  try {
    const streamed: string[] = [];
    const [r] = await policy.generate(
      [{ messages: [{ role: "user", content: "hi" }], temperature: 0 }],
      { onText: (_r, _s, delta) => streamed.push(delta) },
    );
    const c = r.completions[0];
    assert(
      c.finishReason === "eos" && c.text === "" && c.completionTokens === 1,
      JSON.stringify(c),
    );
    const chatml = "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n";
    // Special tokens count once each: 3 specials + the plain characters.
    const plain = chatml.replace(/<\|im_(start|end)\|>/g, "").length;
    assert(c.promptTokens === plain + 3, `prompt tokens ${c.promptTokens}`);
    assert(streamed.join("") === "", "streamed text for an empty completion");
  } finally {
    await policy.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("onnx policy: the buffer graph and the file's own graph decode the same tokens; other exporters' files run as they are", async () => {
  const { dir } = await tinyModel(8);
  // The same model as another exporter's file: the policy cannot rebuild it and runs it as is.
  const foreign = await Deno.makeTempDir({ prefix: "tocode_policy_foreign_" });
  const onnx = (onnxProto as unknown as { onnx: typeof OnnxTypes }).onnx;
  const model = onnx.ModelProto.decode(await Deno.readFile(`${dir}/onnx/model.onnx`));
  model.producerName = "pytorch";
  await Deno.mkdir(`${foreign}/onnx`);
  await Deno.writeFile(`${foreign}/onnx/model.onnx`, onnx.ModelProto.encode(model).finish());
  for (const entry of Deno.readDirSync(dir)) {
    if (entry.isFile) await Deno.copyFile(`${dir}/${entry.name}`, `${foreign}/${entry.name}`);
  }
  const policies = [
    await createOnnxPolicy(dir, { maxBatch: 3 }),
    await createOnnxPolicy(dir, { maxBatch: 3, kvCache: "concat" }),
    await createOnnxPolicy(foreign, { maxBatch: 3 }),
  ];
  try {
    // Long budgets make the buffer grow past its first length while rows come and go; the short
    // rows at the end outlive the long ones, so the buffer shrinks under rows still decoding.
    const requests = [
      // Prefilled in two groups of different widths, which the standard graph's batch joins.
      ...[650, 30, 700].map((length) => ({
        prompt: "Let n be 12. ".repeat(60).slice(0, length),
        maxNewTokens: 10,
      })),
      ...prompts.map((prompt, i) => ({ prompt, maxNewTokens: 20 + 30 * (i % 3) })),
      { prompt: "7", maxNewTokens: 60 },
      { prompt: "y", maxNewTokens: 60 },
      { prompt: "z", maxNewTokens: 60 },
    ];
    // And rows that all live through several growths, most of them in place.
    const long = prompts.slice(0, 6).map((prompt) => ({ prompt, maxNewTokens: 120 }));
    requests.push(...long);
    const [buffer, concat, other] = await Promise.all(
      policies.map((p) => p.generate(requests, { temperature: 0, logprobs: true })),
    );
    requests.forEach((_, i) => {
      const [a, b, c] = [buffer[i], concat[i], other[i]].map((r) => r.completions[0]);
      assert(a.tokenIds!.join() === b.tokenIds!.join(), `request ${i}: buffer vs concat`);
      assert(a.tokenIds!.join() === c.tokenIds!.join(), `request ${i}: buffer vs foreign file`);
      const drift = Math.max(...a.logprobs!.map((x, t) => Math.abs(x - b.logprobs![t])));
      assert(drift < 1e-4, `request ${i}: logprobs differ by ${drift}`);
    });
  } finally {
    for (const p of policies) await p.close();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(foreign, { recursive: true });
  }
});
