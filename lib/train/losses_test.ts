import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend.ts";
import type { Batch } from "./batch.ts";
import { autocode, grpo, sft } from "./losses.ts";
import { groupAdvantages } from "./records.ts";

await initBackend("wasm");

const close = (a: number, b: number, eps = 1e-5) =>
  assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);

/** One sequence of two positions over a vocabulary of 3; targets 1 then 2. */
function batch(over: Partial<Record<keyof Batch, number[]>> = {}, decisions = 0): Batch {
  const t = (values: number[], shape: [number, number]) => tf.tensor2d(values, shape);
  return {
    ids: tf.tensor2d([[0, 1]], undefined, "int32"),
    targets: tf.tensor2d([[1, 2]], undefined, "int32"),
    nllMask: t(over.nllMask ?? [1, 1], [1, 2]),
    pgMask: t(over.pgMask ?? [1, 1], [1, 2]),
    decisionMask: t(over.decisionMask ?? [0, 0], [1, 2]),
    decisions: tf.scalar(decisions),
    behaviour: t(over.behaviour ?? [0, 0], [1, 2]),
    hasBehaviour: t(over.hasBehaviour ?? [0, 0], [1, 2]),
    advantages: t(over.advantages ?? [1], [1, 1]),
    tokens: 2,
    inputTokens: 2,
  };
}

// Position 0: logits [0, ln 2, 0] → p(target 1) = 2/4. Position 1: logits [0, 0, ln 3] → p(2) = 3/5.
const logits = () => tf.tensor3d([[[0, Math.log(2), 0], [0, 0, Math.log(3)]]]);
const lp0 = Math.log(0.5);
const lp1 = Math.log(0.6);

Deno.test("sft is the mean token NLL over imitated tokens, masked positions excluded", () => {
  close(sft(logits(), batch(), { clipEps: 0.2, lambda: 1 }).loss.dataSync()[0], -(lp0 + lp1) / 2);
  close(
    sft(logits(), batch({ nllMask: [0, 1] }), { clipEps: 0.2, lambda: 1 }).loss.dataSync()[0],
    -lp1,
  );
});

Deno.test("grpo: on-policy (ratio 1) the surrogate is -A; its gradient raises the log-prob when A > 0", () => {
  const b = batch({ behaviour: [lp0, lp1], hasBehaviour: [1, 1], advantages: [2] });
  close(grpo(logits(), b, { clipEps: 0.2, lambda: 0 }).loss.dataSync()[0], -2);
  const x = tf.variable(logits());
  const grad = tf.grad((l: tf.Tensor) =>
    grpo(l as tf.Tensor3D, b, { clipEps: 0.2, lambda: 0 }).loss
  )(x);
  const g = grad.arraySync() as number[][][];
  assert.ok(g[0][0][1] < 0, "descending the loss raises the logit of the sampled token");
  const neg = tf.grad((l: tf.Tensor) =>
    grpo(
      l as tf.Tensor3D,
      batch({ behaviour: [lp0, lp1], hasBehaviour: [1, 1], advantages: [-2] }),
      {
        clipEps: 0.2,
        lambda: 0,
      },
    ).loss
  )(x).arraySync() as number[][][];
  assert.ok(neg[0][0][1] > 0, "a negative advantage lowers it");
});

Deno.test("the surrogate clips the importance ratio at 1 ± eps", () => {
  // Behaviour log-probs 1 lower than the model's: ratio e ≈ 2.72, clipped to 1.2 for A > 0.
  const b = batch({ behaviour: [lp0 - 1, lp1 - 1], hasBehaviour: [1, 1], advantages: [1] });
  const result = grpo(logits(), b, { clipEps: 0.2, lambda: 0 });
  close(result.loss.dataSync()[0], -1.2);
  close(result.metrics.clip_frac.dataSync()[0], 1);
  // For A < 0 the min keeps the unclipped (worse) term: -(e · -1) = e.
  const negative = grpo(
    logits(),
    batch({ behaviour: [lp0 - 1, lp1 - 1], hasBehaviour: [1, 1], advantages: [-1] }),
    {
      clipEps: 0.2,
      lambda: 0,
    },
  );
  close(negative.loss.dataSync()[0], Math.E, 1e-4);
});

Deno.test("autocode adds lambda × NLL of imitated tokens to the policy gradient", () => {
  const b = batch({
    behaviour: [lp0, lp1],
    hasBehaviour: [1, 1],
    advantages: [1],
    nllMask: [1, 1],
  });
  const result = autocode(logits(), b, { clipEps: 0.2, lambda: 0.5 });
  close(result.loss.dataSync()[0], -1 + 0.5 * (-(lp0 + lp1) / 2));
  const noImitation = autocode(
    logits(),
    batch({ behaviour: [lp0, lp1], hasBehaviour: [1, 1], nllMask: [0, 0] }),
    {
      clipEps: 0.2,
      lambda: 0.5,
    },
  );
  close(noImitation.loss.dataSync()[0], -1);
});

Deno.test("autocode's decision term is the summed NLL of each decision record's trigger tokens", () => {
  // One decision record over both positions, no PG or NLL: -(lp0 + lp1), not its mean per token.
  const only = batch({ pgMask: [0, 0], nllMask: [0, 0], decisionMask: [1, 1] }, 1);
  const result = autocode(logits(), only, { clipEps: 0.2, lambda: 0.5 });
  close(result.loss.dataSync()[0], -(lp0 + lp1));
  close(result.metrics.decision.dataSync()[0], -(lp0 + lp1));
  // Averaged over the batch's decision records.
  const two = batch({ pgMask: [0, 0], nllMask: [0, 0], decisionMask: [1, 1] }, 2);
  close(
    autocode(logits(), two, { clipEps: 0.2, lambda: 0.5 }).loss.dataSync()[0],
    -(lp0 + lp1) / 2,
  );
  // Its gradient raises the trigger's log-prob.
  const g = tf.grad((l: tf.Tensor) =>
    autocode(l as tf.Tensor3D, only, { clipEps: 0.2, lambda: 0 }).loss
  )(
    tf.variable(logits()),
  ).arraySync() as number[][][];
  assert.ok(g[0][0][1] < 0 && g[0][1][2] < 0);
});

Deno.test("groupAdvantages() whitens rewards within each query; uniform queries get 0", () => {
  const r = (problemId: string, reward: number) => ({
    problemId,
    reward,
    prompt: "",
    completion: "",
    imitate: false,
    reinforce: true,
  });
  const a = groupAdvantages([r("x", 1), r("x", 0), r("y", 1), r("y", 1), {
    ...r("x", 5),
    reinforce: false,
  }]);
  assert.deepEqual(a.map((v) => Number(v.toFixed(6))), [1, -1, 0, 0, 0]);
});
