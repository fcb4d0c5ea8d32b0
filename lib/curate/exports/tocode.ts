import { exportQuery } from "../../store/export.ts";
import type { ExportSchema } from "./schema.ts";

/**
 * tocode's own rows as the store holds them: a curate run's curated set (the `curated_rollouts`
 * view at its latest iteration), an eval run's rollouts; failed samples left out.
 */
export const tocodeSchema: ExportSchema = {
  description: "tocode's own rows: the curated_rollouts view (curate) or rollouts (eval)",
  chat: false,
  async write(store, source, path, format) {
    const id = `'${source.run.id.replaceAll("'", "''")}'`;
    const query = source.iteration === null
      ? `SELECT * FROM rollouts WHERE run_id = ${id} AND error IS NULL
         ORDER BY problem_id, mode, sample_idx`
      : `SELECT * FROM curated_rollouts WHERE run_id = ${id} AND iteration = ${source.iteration}
           AND error IS NULL ORDER BY problem_id, mode, sample_idx`;
    return await exportQuery(store, query, path, { format });
  },
};
