import type { Store } from "./store.ts";

/** A problem as the store keeps it (see lib/data's Problem). */
export interface ProblemRow {
  id: string;
  dataset: string;
  problem: string;
  answer: string;
  source?: string | null;
  metadata?: Record<string, unknown> | null;
}

/** Inserts problems, replacing rows with the same id, in one transaction. */
export async function upsertProblems(store: Store, rows: ProblemRow[]): Promise<void> {
  if (rows.length === 0) return;
  await store.transaction(async () => {
    const statement = await store.connection.prepare(
      "INSERT OR REPLACE INTO problems (id, dataset, problem, answer, source, metadata) VALUES ($1, $2, $3, $4, $5, $6)",
    );
    try {
      for (const row of rows) {
        statement.bind([
          row.id,
          row.dataset,
          row.problem,
          row.answer,
          row.source ?? null,
          row.metadata == null ? null : JSON.stringify(row.metadata),
        ]);
        await statement.run();
      }
    } finally {
      statement.destroySync();
    }
  });
}
