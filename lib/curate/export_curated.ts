import { type ExportFormat, exportQuery } from "../store/export.ts";
import type { Store } from "../store/store.ts";
import { modePrefix } from "../rollout/templates.ts";

/** Schemas the curated set can be exported in. */
export type CuratedSchema = "tocode" | "verl" | "openrlhf" | "trl";

/** Options of {@linkcode exportCurated}. */
export interface ExportCuratedOptions {
  schema: CuratedSchema;
  /** File format; from the extension when absent. */
  format?: ExportFormat;
}

/**
 * Exports a curate run's training set:
 * - `tocode`: every row of the `curated_rollouts` view (the project's own schema);
 * - `verl`: one row per drawn query in verl's RL format (data_source, prompt as chat messages,
 *   ability, reward_model { style, ground_truth }, extra_info);
 * - `openrlhf` / `trl`: prompt / completion / reward of the successful rollouts in each query's
 *   drawn mode, the prompt being the `auto` one and the completion opening with the mode's
 *   trigger, so an external trainer learns the decision too.
 * Returns the number of rows written.
 */
export async function exportCurated(
  store: Store,
  runId: string,
  path: string,
  options: ExportCuratedOptions,
): Promise<number> {
  const id = `'${runId.replaceAll("'", "''")}'`;
  const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
  const code = quote(modePrefix("code"));
  const text = quote(modePrefix("text"));
  let query: string;
  switch (options.schema) {
    case "tocode":
      query =
        `SELECT * FROM curated_rollouts WHERE run_id = ${id} ORDER BY problem_id, mode, sample_idx`;
      break;
    case "verl":
      query = `SELECT p.dataset AS data_source,
          [{'role': 'user', 'content': p.problem}] AS prompt,
          'math' AS ability,
          {'style': 'rule', 'ground_truth': p.answer} AS reward_model,
          {'index': row_number() OVER (ORDER BY c.problem_id) - 1, 'split': 'train',
           'problem_id': c.problem_id, 'mode': c.mode} AS extra_info
        FROM curated c JOIN problems p ON p.id = c.problem_id
        WHERE c.run_id = ${id} ORDER BY c.problem_id`;
      break;
    case "openrlhf":
    case "trl": {
      const prefix = `CASE r.mode WHEN 'code' THEN ${code} WHEN 'text' THEN ${text} ELSE '' END`;
      query = `SELECT r.problem_id,
          CASE WHEN ends_with(r.prompt, ${prefix})
            THEN left(r.prompt, length(r.prompt) - length(${prefix})) ELSE r.prompt END AS prompt,
          CASE WHEN ends_with(r.prompt, ${prefix}) THEN ${prefix} ELSE '' END || r.completion AS completion,
          r.reward, r.mode
        FROM curated_rollouts r WHERE r.run_id = ${id} AND r.imitate
        ORDER BY r.problem_id, r.sample_idx`;
      break;
    }
  }
  return await exportQuery(store, query, path, { format: options.format });
}
