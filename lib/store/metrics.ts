import type { Store } from "./store.ts";

/** Writes named scalar metrics of one step of a run (e.g. training losses), replacing old values. */
export async function writeMetrics(
  store: Store,
  runId: string,
  options: { step: number; values: Record<string, number> },
): Promise<void> {
  const entries = Object.entries(options.values).filter(([, v]) => Number.isFinite(v));
  if (entries.length === 0) return;
  const placeholders = entries.map((_, i) => `($1, $2, $${2 * i + 3}, $${2 * i + 4})`).join(", ");
  await store.run(
    `INSERT OR REPLACE INTO metrics (run_id, step, name, value) VALUES ${placeholders}`,
    [runId, options.step, ...entries.flat()],
  );
}
