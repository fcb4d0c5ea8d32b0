import type { Store } from "../store/store.ts";
import { modePrefix } from "../rollout/templates.ts";
import type { TrainRecord } from "./records.ts";

/**
 * The M-step's records from a curate run (the `curated_rollouts` view): every forced-mode
 * rollout of a drawn query is reinforced under the prompt it was sampled with (its behaviour
 * log-probs apply there); each successful rollout in a drawn mode is also imitated under the
 * `auto` prompt, its completion opening with the mode's trigger, so the model learns to choose.
 */
export async function curatedRecords(store: Store, runId: string): Promise<TrainRecord[]> {
  const rows = await store.query<{
    problem_id: string;
    mode: "text" | "code";
    prompt: string;
    completion: string;
    reward: number | null;
    logprobs: number[] | null;
    imitate: boolean;
  }>(
    `SELECT problem_id, mode, prompt, completion, reward, logprobs, imitate
     FROM curated_rollouts WHERE run_id = $1 AND completion IS NOT NULL AND error IS NULL
     ORDER BY problem_id, mode, sample_idx`,
    [runId],
  );
  if (rows.length === 0) {
    throw new Error(`Cannot read curated rollouts: run "${runId}" has none (${store.path})`);
  }
  const records: TrainRecord[] = [];
  for (const r of rows) {
    records.push({
      problemId: r.problem_id,
      prompt: r.prompt,
      completion: r.completion,
      reward: r.reward ?? 0,
      imitate: false,
      reinforce: true,
      logprobs: r.logprobs,
    });
    if (r.imitate) {
      const prefix = modePrefix(r.mode);
      const autoPrompt = r.prompt.endsWith(prefix) ? r.prompt.slice(0, -prefix.length) : r.prompt;
      records.push({
        problemId: r.problem_id,
        prompt: autoPrompt,
        completion: (r.prompt.endsWith(prefix) ? prefix : "") + r.completion,
        reward: r.reward ?? 0,
        imitate: true,
        reinforce: false,
        eos: true,
      });
    }
  }
  return records;
}

/** On-policy records of a run's `auto` rollouts (the grpo baseline), all reinforced. */
export async function rolloutRecords(
  store: Store,
  runId: string,
  options: { mode?: string } = {},
): Promise<TrainRecord[]> {
  const rows = await store.query<{
    problem_id: string;
    prompt: string;
    completion: string;
    reward: number | null;
    logprobs: number[] | null;
    correct: boolean | null;
  }>(
    `SELECT problem_id, prompt, completion, reward, logprobs, correct FROM rollouts
     WHERE run_id = $1 AND mode = $2 AND completion IS NOT NULL AND error IS NULL
     ORDER BY problem_id, sample_idx`,
    [runId, options.mode ?? "auto"],
  );
  return rows.map((r) => ({
    problemId: r.problem_id,
    prompt: r.prompt,
    completion: r.completion,
    reward: r.reward ?? 0,
    imitate: r.correct === true,
    reinforce: true,
    logprobs: r.logprobs,
    eos: r.correct === true,
  }));
}
