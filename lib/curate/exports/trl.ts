import { CODE_TOOL_SCHEMA, trajectoryMessages } from "./messages.ts";
import { PROMPT_MESSAGES, TOOLS, TRAJECTORY_MESSAGES } from "./column_types.ts";
import { groundTruth, tableSchema } from "./schema.ts";

/**
 * TRL's conversational prompt-completion type for SFTTrainer: `prompt` (system, user),
 * `completion` (assistant turns with `code_interpreter` calls, the sandbox's output as `tool`
 * turns) and `tools`. With `assistant_only_loss=True` TRL trains the assistant turns only, so
 * tool output stays out of the loss.
 */
export const trlSchema = tableSchema(
  "TRL SFTTrainer: one row per successful trajectory, conversational prompt/completion, tools",
  {
    prompt: PROMPT_MESSAGES,
    completion: TRAJECTORY_MESSAGES,
    tools: TOOLS,
    problem_id: "VARCHAR",
    dataset: "VARCHAR",
    mode: "VARCHAR",
    sample_idx: "INTEGER",
    weight: "DOUBLE",
    ground_truth: "VARCHAR",
  },
  async (source) =>
    (await source.samples()).map((sample) => ({
      prompt: source.promptMessages(sample.problem),
      completion: trajectoryMessages(sample.turns, sample.mode),
      tools: [CODE_TOOL_SCHEMA],
      problem_id: sample.problemId,
      dataset: sample.dataset,
      mode: sample.mode,
      sample_idx: sample.sampleIdx,
      weight: sample.weight,
      ground_truth: groundTruth(source, sample),
    })),
);
