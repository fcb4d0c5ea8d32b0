import { trajectoryMessages } from "./messages.ts";
import { PROMPT_MESSAGES, TRAJECTORY_MESSAGES } from "./column_types.ts";
import { groundTruth, tableSchema } from "./schema.ts";

/**
 * OpenRLHF's RL prompt dataset (PromptDataset): one row per query, `input` as chat messages
 * (`--input_key input --apply_chat_template`) and `label` the ground truth its rule-based reward
 * functions receive (`--label_key label`); `datasource` groups its metrics.
 */
export const openrlhfSchema = tableSchema(
  "OpenRLHF RL (train_ppo_ray): one row per query, input messages, label for a reward function",
  {
    input: PROMPT_MESSAGES,
    label: "VARCHAR",
    datasource: "VARCHAR",
    problem_id: "VARCHAR",
    mode: "VARCHAR",
    weight: "DOUBLE",
  },
  async (source) =>
    (await source.queries()).map((query) => ({
      input: source.promptMessages(query.problem),
      label: groundTruth(source, query),
      datasource: query.dataset,
      problem_id: query.problemId,
      mode: query.mode,
      weight: query.weight,
    })),
);

/**
 * OpenRLHF's multi-turn SFT dataset (train_sft `--multiturn --apply_chat_template`): one row per
 * trajectory, the whole conversation in `messages`. OpenRLHF then trains the assistant turns
 * only; its single-turn mode (`--output_key`) would train everything after the prompt, tool
 * output included, so there is no output column.
 */
export const openrlhfSftSchema = tableSchema(
  "OpenRLHF multi-turn SFT (train_sft --multiturn): one row per successful trajectory",
  {
    messages: TRAJECTORY_MESSAGES,
    label: "VARCHAR",
    datasource: "VARCHAR",
    problem_id: "VARCHAR",
    mode: "VARCHAR",
    sample_idx: "INTEGER",
    weight: "DOUBLE",
  },
  async (source) =>
    (await source.samples()).map((sample) => ({
      messages: [
        ...source.promptMessages(sample.problem),
        ...trajectoryMessages(sample.turns, sample.mode),
      ],
      label: groundTruth(source, sample),
      datasource: sample.dataset,
      problem_id: sample.problemId,
      mode: sample.mode,
      sample_idx: sample.sampleIdx,
      weight: sample.weight,
    })),
);
