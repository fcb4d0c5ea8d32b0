import type { ExportFormat } from "../../store/export.ts";
import type { Store } from "../../store/store.ts";
import type { ExportSource } from "./source.ts";
import { type Columns, writeRows } from "./write_rows.ts";

/** A layout a run can be exported in, for one trainer. */
export interface ExportSchema {
  /** One line for --help and docs: the trainer and what a row is. */
  description: string;
  /** Whether its rows hold chat messages (which a raw, non-ChatML prompt cannot give). */
  chat: boolean;
  /** Writes the run's rows; returns how many. */
  write(store: Store, source: ExportSource, path: string, format?: ExportFormat): Promise<number>;
}

/**
 * A schema whose rows are built here and written with fixed column types, in row order; every
 * row's ground truth must be non-empty (a rule-based reward cannot score against nothing).
 */
export function tableSchema(
  description: string,
  columns: Columns,
  rows: (source: ExportSource) => Promise<Record<string, unknown>[]>,
): ExportSchema {
  return {
    description,
    chat: true,
    async write(store, source, path, format) {
      return await writeRows(store, await rows(source), path, { columns, format });
    },
  };
}

/** Refuses a problem whose ground truth is empty: no rule-based reward can score against it. */
export function groundTruth(source: ExportSource, row: { problemId: string; answer: string }) {
  if (row.answer.trim() === "") {
    throw new TypeError(
      `Cannot export run "${source.run.id}": problem "${row.problemId}" has an empty answer, and a rule-based reward needs one`,
    );
  }
  return row.answer;
}
