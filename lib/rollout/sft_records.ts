import type { Problem } from "../data/problem.ts";
import { seededRandom } from "../data/seeded_random.ts";
import { modePrefix, type PromptTemplate, type RenderChat, renderPrompt } from "./templates.ts";

/** One supervised example: the `auto` prompt and a full solution (its mode's opening included). */
export interface SftRecord {
  problemId: string;
  /** The mode the solution uses. */
  mode: "text" | "code";
  prompt: string;
  completion: string;
  reward: number;
}

/** Options of {@linkcode sftRecords}. */
export interface SftRecordsOptions {
  template: PromptTemplate;
  /** The model's chat template, for chat prompt templates. */
  renderChat?: RenderChat;
  /** Probability that a problem's solution is its code (TIR) one, whatever its difficulty. */
  codeShare: number;
  seed: number;
}

/**
 * Supervised examples from problems that carry worked solutions (metadata `text_solution` and
 * `tir_solution`, as the synthetic curriculum writes them). Each problem gets one solution whose
 * mode is drawn at random, independent of difficulty: the rigid starting point the method
 * improves on. The prompt is the `auto` prompt, so the model learns to open with a mode's
 * trigger itself.
 */
export function sftRecords(problems: readonly Problem[], options: SftRecordsOptions): SftRecord[] {
  const random = seededRandom(options.seed);
  return problems.map((problem) => {
    const mode = random.next() < options.codeShare ? "code" : "text";
    const solution = problem.metadata[mode === "code" ? "tir_solution" : "text_solution"];
    if (typeof solution !== "string" || solution === "") {
      throw new TypeError(
        `Cannot build a supervised example: problem "${problem.id}" has no ${mode} solution (metadata.${
          mode === "code" ? "tir_solution" : "text_solution"
        })`,
      );
    }
    return {
      problemId: problem.id,
      mode,
      prompt: renderPrompt(options.template.build(problem.problem, "auto"), options.renderChat),
      completion: modePrefix(mode) + solution,
      reward: 1,
    };
  });
}
