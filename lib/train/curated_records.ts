import type { Store } from "../store/store.ts";
import { modePrefix } from "../rollout/templates.ts";
import type { Mode } from "../rollout/modes.ts";
import type { TrajectoryTokens } from "../rollout/types.ts";
import type { TrainRecord } from "./records.ts";

/** The token columns of a rollout, as the M-step reads them. */
const TOKEN_COLUMNS = "prompt_ids, response_ids, response_mask, response_logprobs, logprobs";

/**
 * The M-step's records from a curate run (the `curated_rollouts` view): every forced-mode
 * rollout of a drawn query is reinforced under the prompt it was sampled with (its behaviour
 * log-probs apply there); each successful rollout in a drawn mode is also imitated under the
 * `auto` prompt, its completion opening with the mode's trigger; and each drawn (query, mode)
 * gives one decision record, so the model learns to choose ({@linkcode decisionRecords}).
 */
export async function curatedRecords(store: Store, runId: string): Promise<TrainRecord[]> {
  const rows = await store.query<CuratedRow>(
    `SELECT problem_id, mode, prompt, completion, reward, imitate, used_code, ${TOKEN_COLUMNS},
        EXISTS (SELECT 1 FROM curated c WHERE c.run_id = r.run_id AND c.iteration = r.iteration
          AND c.problem_id = r.problem_id AND c.mode = r.mode) AS drawn
     FROM curated_rollouts r WHERE run_id = $1 AND completion IS NOT NULL AND error IS NULL
     ORDER BY problem_id, mode, sample_idx`,
    [runId],
  );
  if (rows.length === 0) {
    throw new Error(`Cannot read curated rollouts: run "${runId}" has none (${store.path})`);
  }
  return [...rows.flatMap(curatedRowRecords), ...decisionRecords(rows)];
}

/** A row of the `curated_rollouts` view (or of its `tocode` export), the fields the M-step reads. */
export interface CuratedRow extends TokenColumns {
  problem_id: string;
  mode: string;
  prompt: string;
  completion: string;
  reward: number | null;
  imitate: boolean;
  used_code?: boolean | null;
  /** The row's mode was drawn for its query (absent in exports: a drawn mode's successes tell). */
  drawn?: boolean;
}

/** A rollout's token columns: verl's names, and the older rows' sampled log-probs. */
export interface TokenColumns {
  prompt_ids?: number[] | null;
  response_ids?: number[] | null;
  response_mask?: number[] | null;
  response_logprobs?: (number | null)[] | null;
  /** Older rows (before token-native rollouts): the log-probs of the sampled tokens. */
  logprobs?: number[] | null;
}

/** The trajectory's tokens when the row has them all, else null (the record is re-tokenized). */
export function rowTokens(r: TokenColumns): TrajectoryTokens | null {
  if (!r.prompt_ids || !r.response_ids || !r.response_mask) return null;
  return {
    promptIds: r.prompt_ids,
    responseIds: r.response_ids,
    responseMask: r.response_mask,
    responseLogprobs: r.response_logprobs ?? r.response_ids.map(() => null),
  };
}

/**
 * The M-step's records of one curated rollout: reinforced under the prompt it was sampled with;
 * when it is imitated, also an NLL record under the `auto` prompt with the mode's trigger opening
 * the completion (with tokens: the same ids, the trigger's tokens moved into the trained span).
 */
export function curatedRowRecords(r: CuratedRow): TrainRecord[] {
  const usedCode = r.used_code ?? undefined;
  const tokens = rowTokens(r);
  const records: TrainRecord[] = [{
    problemId: r.problem_id,
    prompt: r.prompt,
    completion: r.completion,
    reward: r.reward ?? 0,
    imitate: false,
    reinforce: true,
    tokens,
    logprobs: tokens ? null : r.logprobs ?? null,
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
      tokens,
      ...(tokens && triggered ? { openWith: prefix } : {}),
      eos: tokens ? undefined : true,
      mode: r.mode,
      usedCode,
    });
  }
  return records;
}

/**
 * The decision term's records: for each drawn (query, mode), the mode's trigger as the completion
 * of the `auto` prompt, whatever its rollouts scored. Trained as −log π(c|x) (the trigger's summed
 * log-prob), the M-step's term on the latent choice, which the E-step's draw weights by s*(c|x).
 * A query's choice is repeated as many times as the query has records in the other terms, so the
 * shuffled passes train it as often as its solutions: inside the imitation NLL alone it is one
 * token among a solution's hundreds and barely moves (docs/method.md, "The decision term").
 * Modes without a trigger in the prompt (chat templates) have no decision to train. With token
 * ids the prompt's own trigger tokens are the target.
 */
export function decisionRecords(rows: readonly CuratedRow[]): TrainRecord[] {
  const solutions = new Map<string, number>();
  const drawn = new Map<string, CuratedRow>();
  for (const r of rows) {
    solutions.set(r.problem_id, (solutions.get(r.problem_id) ?? 0) + (r.imitate ? 2 : 1));
    const key = JSON.stringify([r.problem_id, r.mode]);
    if ((r.drawn ?? r.imitate) && !drawn.has(key)) drawn.set(key, r);
  }
  const modesDrawn = new Map<string, number>();
  for (const r of drawn.values()) {
    modesDrawn.set(r.problem_id, (modesDrawn.get(r.problem_id) ?? 0) + 1);
  }
  return [...drawn.values()].flatMap((r) => {
    const prefix = modePrefix(r.mode as Mode);
    if (prefix === "" || !r.prompt.endsWith(prefix)) return [];
    const tokens = rowTokens(r);
    const record: TrainRecord = {
      problemId: r.problem_id,
      prompt: r.prompt.slice(0, -prefix.length),
      completion: prefix,
      reward: r.reward ?? 0,
      imitate: false,
      reinforce: false,
      decide: true,
      tokens: tokens && { ...tokens, responseIds: [], responseMask: [], responseLogprobs: [] },
      ...(tokens ? { openWith: prefix } : {}),
      mode: r.mode,
    };
    const copies = Math.max(
      1,
      Math.round(solutions.get(r.problem_id)! / modesDrawn.get(r.problem_id)!),
    );
    return Array.from({ length: copies }, () => record);
  });
}

/** On-policy records of a run's `auto` rollouts (the grpo baseline), all reinforced. */
export async function rolloutRecords(
  store: Store,
  runId: string,
  options: { mode?: string } = {},
): Promise<TrainRecord[]> {
  const rows = await store.query<
    TokenColumns & {
      problem_id: string;
      prompt: string;
      completion: string;
      reward: number | null;
      correct: boolean | null;
      used_code: boolean | null;
    }
  >(
    `SELECT problem_id, prompt, completion, reward, correct, used_code, ${TOKEN_COLUMNS}
     FROM rollouts
     WHERE run_id = $1 AND mode = $2 AND completion IS NOT NULL AND error IS NULL
     ORDER BY problem_id, sample_idx`,
    [runId, options.mode ?? "auto"],
  );
  return rows.map((r) => {
    const tokens = rowTokens(r);
    return {
      problemId: r.problem_id,
      prompt: r.prompt,
      completion: r.completion,
      reward: r.reward ?? 0,
      imitate: r.correct === true,
      reinforce: true,
      tokens,
      logprobs: tokens ? null : r.logprobs ?? null,
      eos: tokens ? undefined : r.correct === true,
      mode: options.mode ?? "auto",
      usedCode: r.used_code ?? undefined,
    };
  });
}
