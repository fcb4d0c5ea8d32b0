import type { Store } from "../store/store.ts";
import { modePrefix } from "../rollout/templates.ts";
import type { Mode } from "../rollout/modes.ts";
import type { TrainRecord } from "./records.ts";

/**
 * The M-step's records from a curate run (the `curated_rollouts` view): every forced-mode
 * rollout of a drawn query is reinforced under the prompt it was sampled with (its behaviour
 * log-probs apply there); each successful rollout in a drawn mode is also imitated under the
 * `auto` prompt, its completion opening with the mode's trigger, so the model learns to choose.
 */
export async function curatedRecords(store: Store, runId: string): Promise<TrainRecord[]> {
  const rows = await store.query<CuratedRow>(
    `SELECT problem_id, mode, prompt, completion, reward, logprobs, token_ids, imitate, used_code
     FROM curated_rollouts WHERE run_id = $1 AND completion IS NOT NULL AND error IS NULL
     ORDER BY problem_id, mode, sample_idx`,
    [runId],
  );
  if (rows.length === 0) {
    throw new Error(`Cannot read curated rollouts: run "${runId}" has none (${store.path})`);
  }
  return rows.flatMap(curatedRowRecords);
}

/** A row of the `curated_rollouts` view (or of its `tocode` export), the fields the M-step reads. */
export interface CuratedRow {
  problem_id: string;
  mode: string;
  prompt: string;
  completion: string;
  reward: number | null;
  logprobs: number[] | null;
  token_ids?: number[] | null;
  imitate: boolean;
  used_code?: boolean | null;
}

/**
 * The M-step's records of one curated rollout: reinforced under the prompt it was sampled with;
 * when it is imitated, also an NLL record under the `auto` prompt with the mode's trigger opening
 * the completion.
 */
export function curatedRowRecords(r: CuratedRow): TrainRecord[] {
  const usedCode = r.used_code ?? undefined;
  const records: TrainRecord[] = [{
    problemId: r.problem_id,
    prompt: r.prompt,
    completion: r.completion,
    reward: r.reward ?? 0,
    imitate: false,
    reinforce: true,
    logprobs: r.logprobs,
    tokenIds: r.token_ids,
    mode: r.mode,
    usedCode,
  }];
  if (r.imitate) {
    const prefix = modePrefix(r.mode as Mode);
    const triggered = prefix !== "" && r.prompt.endsWith(prefix);
    records.push({
      problemId: r.problem_id,
      prompt: triggered ? r.prompt.slice(0, -prefix.length) : r.prompt,
      completion: (triggered ? prefix : "") + r.completion,
      reward: r.reward ?? 0,
      imitate: true,
      reinforce: false,
      eos: true,
      mode: r.mode,
      usedCode,
    });
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
    used_code: boolean | null;
    token_ids: number[] | null;
  }>(
    `SELECT problem_id, prompt, completion, reward, logprobs, token_ids, correct, used_code
     FROM rollouts
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
    tokenIds: r.token_ids,
    eos: r.correct === true,
    mode: options.mode ?? "auto",
    usedCode: r.used_code ?? undefined,
  }));
}
