import {
  type Decision,
  referenceDecision,
  type SelectionEvidence,
} from "../report/code_selection.ts";

/** A problem's forced rollouts, from which its reference decision follows. */
export type ReferenceEvidence = Pick<SelectionEvidence, "text" | "code"> & { problemId: string };

/** A problem's `auto` choices: for each rollout, whether it executed code. */
export interface AutoChoices {
  problemId: string;
  autoUsedCode: readonly boolean[];
}

/** How a model's choices compare with fixed reference decisions. */
export interface DecisionScores {
  /** Share of decisions matching the reference, over problems that have one. */
  selectionAccuracy: number;
  /** Code rate over the problems whose reference is `text` (should fall). */
  codeRateTextRef: number;
  /** Code rate over the problems whose reference is `code` (should rise). */
  codeRateCodeRef: number;
  /** Problems with each reference that the scores rest on. */
  textRefProblems: number;
  codeRefProblems: number;
}

/**
 * The reference decision of each problem from one model's forced rollouts (the paper's rule: text
 * if text succeeds by majority, else code if code does; problems where neither does are left
 * out). The demo takes them from the base model once, so every method is scored against the same
 * decisions, whatever its own forced rollouts would say.
 */
export function referenceDecisions(evidence: readonly ReferenceEvidence[]): Map<string, Decision> {
  const references = new Map<string, Decision>();
  for (const e of evidence) {
    const decision = referenceDecision(e);
    if (decision) references.set(e.problemId, decision);
  }
  return references;
}

/**
 * Scores `auto` choices against reference decisions: code-selection accuracy, and the code rate
 * separately where the reference is text and where it is code. Problems without a reference
 * are left out; a group with no problems scores NaN.
 *
 * @example
 * ```ts
 * import { decisionScores } from "./decision_scores.ts";
 * const references = new Map([["a", "text" as const], ["b", "code" as const]]);
 * const scores = decisionScores([
 *   { problemId: "a", autoUsedCode: [true, false] },
 *   { problemId: "b", autoUsedCode: [true, true] },
 *   { problemId: "c", autoUsedCode: [true] }, // no reference: left out
 * ], references);
 * if (scores.selectionAccuracy !== 0.75 || scores.codeRateTextRef !== 0.5) throw new Error();
 * ```
 */
export function decisionScores(
  choices: readonly AutoChoices[],
  references: ReadonlyMap<string, Decision>,
): DecisionScores {
  const tally = { text: { code: 0, all: 0, problems: 0 }, code: { code: 0, all: 0, problems: 0 } };
  for (const { problemId, autoUsedCode } of choices) {
    const reference = references.get(problemId);
    if (!reference || autoUsedCode.length === 0) continue;
    const group = tally[reference];
    group.problems++;
    group.all += autoUsedCode.length;
    group.code += autoUsedCode.filter(Boolean).length;
  }
  const { text, code } = tally;
  const right = text.all - text.code + code.code;
  return {
    selectionAccuracy: ratio(right, text.all + code.all),
    codeRateTextRef: ratio(text.code, text.all),
    codeRateCodeRef: ratio(code.code, code.all),
    textRefProblems: text.problems,
    codeRefProblems: code.problems,
  };
}

function ratio(part: number, whole: number): number {
  return whole > 0 ? part / whole : NaN;
}
