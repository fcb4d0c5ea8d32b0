import { CODE_TOOL_NAME } from "./messages.ts";
import { PROMPT_MESSAGES } from "./column_types.ts";
import { groundTruth, tableSchema } from "./schema.ts";

/**
 * The `data_source` of every row: one of the sources verl's `default_compute_score` scores with
 * its MATH reward (last `\boxed{}` against the ground truth), as its
 * examples/data_preprocess/math_dataset.py writes it. tocode's prompts ask for `\boxed{}` whatever
 * the dataset, so this is the reward that reads them; tocode's dataset name is in extra_info.
 */
export const VERL_DATA_SOURCE = "DigitalLearningGmbH/MATH-lighteval";

/** verl's agent loop for tool calls (`@register("tool_agent")`), as its ReTool recipes set it. */
export const VERL_TOOL_AGENT = "tool_agent";

/**
 * verl's RL dataset (RLHFDataset): one row per query to train on (a curate run's drawn
 * (query, mode) pairs; an eval run's problems). docs/export.md cites each field's source.
 */
export const verlSchema = tableSchema(
  "verl RL (RLHFDataset, tool agent): one row per query, prompt as chat messages, rule reward",
  {
    data_source: "VARCHAR",
    prompt: PROMPT_MESSAGES,
    ability: "VARCHAR",
    reward_model: "STRUCT(style VARCHAR, ground_truth VARCHAR)",
    extra_info:
      `STRUCT("index" BIGINT, split VARCHAR, problem_id VARCHAR, dataset VARCHAR, mode VARCHAR, weight DOUBLE, need_tools_kwargs BOOLEAN, tools_kwargs STRUCT(${CODE_TOOL_NAME} STRUCT(create_kwargs STRUCT(ground_truth VARCHAR))))`,
    agent_name: "VARCHAR",
  },
  async (source) =>
    (await source.queries()).map((query, index) => {
      const answer = groundTruth(source, query);
      return {
        data_source: VERL_DATA_SOURCE,
        prompt: source.promptMessages(query.problem),
        ability: "math",
        reward_model: { style: "rule", ground_truth: answer },
        extra_info: {
          index,
          split: "train",
          problem_id: query.problemId,
          dataset: query.dataset,
          mode: query.mode,
          weight: query.weight,
          need_tools_kwargs: true,
          tools_kwargs: { [CODE_TOOL_NAME]: { create_kwargs: { ground_truth: answer } } },
        },
        agent_name: VERL_TOOL_AGENT,
      };
    }),
);
