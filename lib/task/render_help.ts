import type { z } from "zod";
import { fieldSpecs } from "./schema_fields.ts";

/** Options of {@linkcode renderHelp}. */
export interface RenderHelpOptions {
  /** Key of the array field that takes positionals, shown in the usage line. */
  positional?: string;
  /** Values of the `--preset` given with `--help`, shown as the defaults they become. */
  preset?: Readonly<Record<string, unknown>>;
}

/** Renders `--help` for a task from its schema: usage, description, one line per flag. */
export function renderHelp(
  task: {
    name: string;
    description: string;
    args: z.ZodObject;
    presets?: Readonly<Record<string, unknown>>;
  },
  options: RenderHelpOptions = {},
): string {
  const specs = fieldSpecs(task.args).filter((s) => s.key !== options.positional);
  const positional = options.positional ? ` [${options.positional.toUpperCase()}...]` : "";
  const lines = [
    `Usage: deno task ${task.name} [flags]${positional}`,
    "",
    task.description,
    "",
    "Flags:",
  ];
  const rows: [string, string][] = specs.map((spec) => {
    const value = spec.kind === "boolean"
      ? ""
      : spec.kind === "enum"
      ? ` <${spec.choices!.join("|")}>`
      : ` <${spec.kind}>`;
    const flag = spec.kind === "boolean" ? `--[no-]${spec.flag}` : `--${spec.flag}${value}`;
    const notes: string[] = [];
    if (spec.multiple) notes.push("repeatable");
    if (options.preset && spec.key in options.preset) {
      notes.push(`preset: ${JSON.stringify(options.preset[spec.key])}`);
    } else if (spec.defaultValue !== undefined) {
      notes.push(`default: ${JSON.stringify(spec.defaultValue)}`);
    } else if (spec.required) notes.push("required");
    const note = notes.length ? ` (${notes.join(", ")})` : "";
    return [flag, `${spec.description ?? ""}${note}`.trim()];
  });
  if (task.presets) {
    const names = Object.keys(task.presets);
    rows.push([
      `--preset <${names.join("|")}>`,
      "named flag values under --config and the command line (with --help: shows them)",
    ]);
  }
  rows.push(["--config <file>", "JSON file of flag values; command-line flags override it"]);
  rows.push(["--help", "show this help"]);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  for (const [flag, text] of rows) lines.push(`  ${flag.padEnd(width)}  ${text}`);
  return lines.join("\n");
}
