/**
 * Exports of a run's training data in the layouts trainers take as they are: verl (RL and
 * multi-turn SFT), TRL (SFTTrainer) and OpenRLHF (RL and multi-turn SFT), beside tocode's own.
 * docs/export.md gives each framework's recipe and cites the source of every field.
 *
 * @module
 */
import type { ExportFormat } from "../../store/export.ts";
import type { Store } from "../../store/store.ts";
import { openrlhfSchema, openrlhfSftSchema } from "./openrlhf.ts";
import type { ExportSchema } from "./schema.ts";
import { checkTemplateExportable } from "./prompt_messages.ts";
import { openExportSource } from "./source.ts";
import { tocodeSchema } from "./tocode.ts";
import { trlSchema } from "./trl.ts";
import { verlSchema } from "./verl.ts";
import { verlSftSchema } from "./verl_sft.ts";

export { CODE_TOOL_NAME, CODE_TOOL_SCHEMA, trajectoryMessages } from "./messages.ts";
export { VERL_DATA_SOURCE, VERL_TOOL_AGENT } from "./verl.ts";
export type { ExportSchema } from "./schema.ts";

/** The schema names, as `--export-schema` and `--schema` take them. */
export const EXPORT_SCHEMAS = [
  "tocode",
  "verl",
  "verl-sft",
  "trl",
  "openrlhf",
  "openrlhf-sft",
] as const;

/** A schema name. */
export type ExportSchemaName = typeof EXPORT_SCHEMAS[number];

/** The registry of export schemas. */
export const exportSchemas: Record<ExportSchemaName, ExportSchema> = {
  tocode: tocodeSchema,
  verl: verlSchema,
  "verl-sft": verlSftSchema,
  trl: trlSchema,
  openrlhf: openrlhfSchema,
  "openrlhf-sft": openrlhfSftSchema,
};

/** Options of {@linkcode exportRun}. */
export interface ExportRunOptions {
  schema: ExportSchemaName;
  /** File format; from the extension when absent. */
  format?: ExportFormat;
}

/**
 * Exports a curate run's curated set (its latest iteration) or an eval run's problems and right
 * answers in a schema; failed samples never. Returns the number of rows written.
 */
export async function exportRun(
  store: Store,
  runId: string,
  path: string,
  options: ExportRunOptions,
): Promise<number> {
  const source = await openExportSource(store, runId);
  return await exportSchemas[options.schema].write(store, source, path, options.format);
}

/**
 * Refuses, before a run spends any rollout, an export its prompt template cannot feed: a trainer
 * schema needs chat messages, which a raw prompt gives only when it writes out ChatML.
 */
export async function checkExportable(
  schema: ExportSchemaName,
  promptTemplate: string,
): Promise<void> {
  if (exportSchemas[schema].chat) await checkTemplateExportable(promptTemplate, `as ${schema}`);
}
