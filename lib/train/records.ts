import type { TrajectoryTokens } from "../rollout/types.ts";

/** One training example, whatever produced it (supervised data, curated or on-policy rollouts). */
export interface TrainRecord {
  /** Query it belongs to; advantages are whitened within a query's records. */
  problemId: string;
  prompt: string;
  /** Generated text, with any ```output blocks the sandbox appended (masked out of the loss). */
  completion: string;
  reward: number;
  /** Part of the NLL (imitation) term. */
  imitate: boolean;
  /** Part of the policy-gradient term. */
  reinforce: boolean;
  /**
   * Part of the decision term (`autocode`): the completion is a mode's trigger under the `auto`
   * prompt, trained as one summed log-prob per record, −log π(c|x).
   */
  decide?: boolean;
  /**
   * The trajectory as the model read and sampled it (prompt ids, response ids, mask and behaviour
   * log-probs): read as it is. Records without it are tokenized from text.
   */
  tokens?: TrajectoryTokens | null;
  /**
   * With `tokens`: the completion opens with this text, which the prompt's ids end with (a mode's
   * trigger moved from prompt to completion); those tokens are trained too.
   */
  openWith?: string;
  /** Without `tokens`: behaviour log-probs of the generated tokens, in order. */
  logprobs?: number[] | null;
  /** Without `tokens`: end the sequence with end-of-sequence (a whole solution). */
  eos?: boolean;
  /** Rollout mode it was sampled in (text | code | auto), when known. */
  mode?: string;
  /** Whether the trajectory executed code, when known (the step's code-rate metric). */
  usedCode?: boolean;
}

/**
 * Advantages whitened within each query: (r - mean) / std over the query's reinforced records;
 * 0 when all of them scored the same (no signal).
 */
export function groupAdvantages(records: readonly TrainRecord[]): number[] {
  const groups = new Map<string, number[]>();
  records.forEach((r, i) => {
    if (!r.reinforce) return;
    groups.set(r.problemId, [...(groups.get(r.problemId) ?? []), i]);
  });
  const advantages = new Array<number>(records.length).fill(0);
  for (const members of groups.values()) {
    const rewards = members.map((i) => records[i].reward);
    const mean = rewards.reduce((s, v) => s + v, 0) / rewards.length;
    const std = Math.sqrt(rewards.reduce((s, v) => s + (v - mean) ** 2, 0) / rewards.length);
    for (const i of members) advantages[i] = std > 1e-8 ? (records[i].reward - mean) / std : 0;
  }
  return advantages;
}
