import { CODE_TOOL_SCHEMA, trajectoryMessages } from "./messages.ts";
import { TOOLS, TRAJECTORY_MESSAGES } from "./column_types.ts";
import { groundTruth, tableSchema } from "./schema.ts";

/**
 * verl's multi-turn SFT dataset (MultiTurnSFTDataset, `data.multiturn.enable=true`): one row per
 * trajectory to imitate, the whole conversation in `messages` (the prompt, then assistant turns
 * whose code is a `code_interpreter` call and the sandbox's output as `tool` turns) and the tool's
 * schema in `tools`. verl trains assistant turns only, so tool output is never in the loss.
 */
export const verlSftSchema = tableSchema(
  "verl multi-turn SFT: one row per successful trajectory, messages with tool turns, tools",
  {
    messages: TRAJECTORY_MESSAGES,
    tools: TOOLS,
    extra_info:
      'STRUCT("index" BIGINT, split VARCHAR, problem_id VARCHAR, dataset VARCHAR, mode VARCHAR, sample_idx INTEGER, weight DOUBLE, ground_truth VARCHAR)',
  },
  async (source) =>
    (await source.samples()).map((sample, index) => ({
      messages: [
        ...source.promptMessages(sample.problem),
        ...trajectoryMessages(sample.turns, sample.mode),
      ],
      tools: [CODE_TOOL_SCHEMA],
      extra_info: {
        index,
        split: "train",
        problem_id: sample.problemId,
        dataset: sample.dataset,
        mode: sample.mode,
        sample_idx: sample.sampleIdx,
        weight: sample.weight,
        ground_truth: groundTruth(source, sample),
      },
    })),
);
