/** The rollouts of one query that the E-step needs: rewards per forced mode, choices of `auto`. */
export interface QueryRollouts {
  problemId: string;
  /** Rewards of the K text-only rollouts. */
  text: readonly number[];
  /** Rewards of the K code rollouts. */
  code: readonly number[];
  /** For each `auto` rollout, whether it executed code. */
  autoUsedCode: readonly boolean[];
}

/** Q(x, c) and pi(c|x) of one query. */
export interface QueryStats {
  problemId: string;
  /** Q(x, text): mean reward of the text-only rollouts. */
  qText: number;
  /** Q(x, code): mean reward of the code rollouts. */
  qCode: number;
  /** pi(code|x): share of `auto` rollouts that executed code (0.5 when there are none). */
  piCode: number;
  /** Every rollout of both modes scored the same: no signal about which mode is better. */
  uniform: boolean;
  /** Every rollout of both modes succeeded: by the tie rule, plain reasoning is enough. */
  solved: boolean;
}

/**
 * Estimates Q(x, c) as the mean reward in mode c and pi(code|x) as the share of `auto` rollouts
 * that used code. With no `auto` rollouts the prior is uninformative (0.5).
 */
export function queryStats(rollouts: QueryRollouts): QueryStats {
  if (rollouts.text.length === 0 || rollouts.code.length === 0) {
    throw new RangeError(
      `Cannot estimate Q for "${rollouts.problemId}": it needs rollouts in both modes (text ${rollouts.text.length}, code ${rollouts.code.length})`,
    );
  }
  const all = [...rollouts.text, ...rollouts.code];
  const auto = rollouts.autoUsedCode;
  return {
    problemId: rollouts.problemId,
    qText: mean(rollouts.text),
    qCode: mean(rollouts.code),
    piCode: auto.length ? auto.filter(Boolean).length / auto.length : 0.5,
    uniform: all.every((r) => r === all[0]),
    solved: all.every((r) => r > 0),
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}
