import type { Store } from "../store/store.ts";
import { codeSelectionAccuracy } from "./code_selection.ts";
import { readScoredSamples, readSelectionEvidence } from "./read_samples.ts";
import { type GroupSummary, summarize } from "./summarize.ts";

/** The summary of an eval run, as printed and written to its JSON file. */
export interface EvalSummary {
  runId: string;
  mode: string;
  groups: GroupSummary[];
  /** Code-selection accuracy, when the run has text and code rollouts next to the auto ones. */
  selection?: { accuracy: number; problems: number; decisions: number };
}

/** Options of {@linkcode evalSummary}. */
export interface EvalSummaryOptions {
  /** The run's main mode; its rollouts make the accuracy figures. */
  mode: string;
  /** k values for pass@k and maj@k. */
  ks: number[];
  answerKey?: (answer: string) => string;
}

/** Summarises an eval run from its stored rows (so a rescored or resumed run summarises alike). */
export async function evalSummary(
  store: Store,
  runId: string,
  options: EvalSummaryOptions,
): Promise<EvalSummary> {
  const samples = await readScoredSamples(store, runId, {
    mode: options.mode,
    answerKey: options.answerKey,
  });
  const summary: EvalSummary = {
    runId,
    mode: options.mode,
    groups: summarize(samples, { ks: options.ks }),
  };
  const evidence = await readSelectionEvidence(store, runId);
  const selection = codeSelectionAccuracy(evidence);
  if (selection.problems > 0) summary.selection = selection;
  return summary;
}
