import type { Problem } from "../data/problem.ts";
import { openPolicy, promptBuilder, type RolloutServices } from "../rollout/open_tools.ts";
import { rolloutSettings } from "../rollout/rollout_config.ts";
import { rolloutPass } from "../rollout/rollout_pass.ts";
import type { PromptTemplate } from "../rollout/templates.ts";
import { beginRun, finishRun } from "../store/runs.ts";
import type { Store } from "../store/store.ts";
import { rolloutRecords } from "./curated_records.ts";
import { train, type TrainOptions, type TrainSummary } from "./train.ts";

/** Options of {@linkcode trainOnPolicy}: the trainer's, plus the sampling rounds. */
export interface OnPolicyOptions extends Omit<TrainOptions, "resume" | "exportOnnx" | "maxSteps"> {
  store: Store;
  /** Run id of the training run; each round's rollouts go to `<runId>/round<N>`. */
  runId: string;
  services: RolloutServices;
  template: PromptTemplate;
  rounds: number;
  /** Queries per round (taken in order, cycling through the problems). */
  queries: number;
  /** `auto` rollouts per query: the group its advantages are normalised in. */
  group: number;
  /** Optimizer steps per round, on that round's rollouts. */
  stepsPerRound: number;
  maxTokens: number;
  maxCodeCalls: number;
  temperature: number;
  log?: (line: string) => void;
}

/**
 * The on-policy `grpo` baseline: every round samples a group of `auto` rollouts per query with
 * the current weights (the ONNX export of the last checkpoint, through the local engine, behaviour
 * log-probs kept), grades them, and takes `stepsPerRound` optimizer steps of the clipped surrogate
 * with group-normalised advantages. The optimizer state, step count and schedule carry over from
 * round to round (each round resumes the checkpoint in `outDir`).
 */
export async function trainOnPolicy(
  modelDir: string,
  problems: readonly Problem[],
  options: OnPolicyOptions,
): Promise<TrainSummary> {
  if (problems.length === 0) throw new RangeError("Cannot train on-policy: no problems");
  const total = options.rounds * options.stepsPerRound;
  let summary: TrainSummary | undefined;
  let model = modelDir;
  for (let round = 1; round <= options.rounds && !options.signal?.aborted; round++) {
    const from = ((round - 1) * options.queries) % problems.length;
    const queries = Array.from(
      { length: Math.min(options.queries, problems.length) },
      (_, i) => problems[(from + i) % problems.length],
    );
    const runId = `${options.runId}/round${round}`;
    await beginRun(options.store, "eval", { id: runId, args: { model, round, mode: "auto" } });
    const { policy, renderChat, tokenizer } = await openPolicy(model);
    try {
      await rolloutPass({
        store: options.store,
        runId,
        problems: queries,
        samples: { auto: options.group },
        tools: {
          ...options.services,
          policy,
          template: options.template,
          prompt: promptBuilder(options.template, policy, renderChat),
          tokenizer,
        },
        settings: rolloutSettings({
          maxCodeCalls: options.maxCodeCalls,
          maxTokens: options.maxTokens,
          temperature: options.temperature,
        }),
        seed: options.seed + round,
        signal: options.signal,
      });
    } finally {
      await policy.close();
    }
    await finishRun(options.store, runId, options.signal?.aborted ? "interrupted" : "finished");
    if (options.signal?.aborted) break;
    const records = await rolloutRecords(options.store, runId);
    const correct = records.filter((r) => r.reward > 0).length;
    options.log?.(
      `round ${round}/${options.rounds}: ${records.length} rollouts, ${correct} rewarded`,
    );
    // Round N resumes round N-1's checkpoint: same optimizer, step count and schedule.
    const next = await train(modelDir, records, {
      ...options,
      loss: "grpo",
      epochs: Number.MAX_SAFE_INTEGER,
      maxSteps: round * options.stepsPerRound,
      scheduleSteps: total,
      resume: round > 1,
      exportOnnx: true,
      onStep: options.onStep ? (step, _total, m) => options.onStep!(step, total, m) : undefined,
    });
    summary = summary
      ? {
        ...next,
        inputTokens: summary.inputTokens + next.inputTokens,
        computedTokens: summary.computedTokens + next.computedTokens,
        seconds: summary.seconds + next.seconds,
      }
      : next;
    model = options.outDir;
  }
  if (!summary) throw new Error(`Cannot train on-policy: interrupted before the first round`);
  return summary;
}
