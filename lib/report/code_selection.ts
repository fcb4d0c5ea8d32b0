/** Per-problem outcomes needed to judge the model's decision to write code. */
export interface SelectionEvidence {
  /** Correctness of the forced text-only rollouts. */
  text: readonly boolean[];
  /** Correctness of the forced code rollouts. */
  code: readonly boolean[];
  /** For each `auto` rollout, whether it executed code. */
  autoUsedCode: readonly boolean[];
}

/** The reference decision for a problem, or undefined when neither mode succeeds. */
export type Decision = "text" | "code";

/** Options of {@linkcode referenceDecision} and {@linkcode codeSelectionAccuracy}. */
export interface SelectionOptions {
  /** A mode "succeeds" when more than this share of its rollouts is correct. */
  majority?: number;
}

/**
 * The paper's reference decision: `text` if text-only rollouts succeed by majority, else `code`
 * if code rollouts do, else undefined (the problem is left out of code-selection accuracy).
 */
export function referenceDecision(
  evidence: Pick<SelectionEvidence, "text" | "code">,
  options: SelectionOptions = {},
): Decision | undefined {
  const majority = options.majority ?? 0.5;
  const succeeds = (outcomes: readonly boolean[]) =>
    outcomes.length > 0 && outcomes.filter(Boolean).length / outcomes.length > majority;
  if (succeeds(evidence.text)) return "text";
  if (succeeds(evidence.code)) return "code";
  return undefined;
}

/**
 * Code-selection accuracy: over problems with a reference decision, the share of `auto` rollouts
 * whose choice (code or not) matches it. Returns the accuracy and how many problems and
 * decisions it rests on.
 *
 * @example
 * ```ts
 * import { codeSelectionAccuracy } from "./code_selection.ts";
 * const result = codeSelectionAccuracy([
 *   { text: [true, true], code: [true, false], autoUsedCode: [false, true] }, // ref text
 *   { text: [false, false], code: [true, true], autoUsedCode: [true, true] }, // ref code
 *   { text: [false], code: [false], autoUsedCode: [true] }, // excluded
 * ]);
 * if (result.accuracy !== 0.75 || result.problems !== 2) throw new Error("3 of 4 decisions");
 * ```
 */
export function codeSelectionAccuracy(
  problems: readonly SelectionEvidence[],
  options: SelectionOptions = {},
): { accuracy: number; problems: number; decisions: number } {
  let right = 0;
  let decisions = 0;
  let counted = 0;
  for (const evidence of problems) {
    const reference = referenceDecision(evidence, options);
    if (!reference || evidence.autoUsedCode.length === 0) continue;
    counted++;
    for (const usedCode of evidence.autoUsedCode) {
      decisions++;
      if (usedCode === (reference === "code")) right++;
    }
  }
  return { accuracy: decisions ? right / decisions : NaN, problems: counted, decisions };
}
