import { parseArgs } from "node:util";
import type { z } from "zod";
import { UsageError } from "./errors.ts";
import { type FieldSpec, fieldSpecs, toFlag, toKey } from "./schema_fields.ts";

/** Options of {@linkcode parseTaskArgs}. */
export interface ParseTaskArgsOptions {
  /** Key of an array field that receives positional arguments; positionals are refused without it. */
  positional?: string;
  /** Reads a `--config` file; injectable for tests. */
  readTextFile?: (path: string) => string;
  /** Named sets of flag values that `--preset NAME` applies under the config file and the flags. */
  presets?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** Result of parsing: the validated arguments, or a request for help (with the preset's values). */
export type ParsedArgs<T> =
  | { help: true; preset?: Readonly<Record<string, unknown>> }
  | { help: false; args: T };

/**
 * Parses argv against a task's zod schema: `node:util` parseArgs derived from the schema, values
 * coerced by kind, then `--preset NAME` under `--config FILE` (JSON) under the command-line flags,
 * then the schema validates and fills defaults. Any problem throws a one-line
 * {@linkcode UsageError} naming the flag.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { parseTaskArgs } from "./parse_args.ts";
 * const schema = z.object({ limit: z.number().int().default(10) });
 * const parsed = parseTaskArgs(schema, ["--limit", "3"]);
 * if (!parsed.help && parsed.args.limit !== 3) throw new Error("wrong");
 * ```
 */
export function parseTaskArgs<S extends z.ZodObject>(
  schema: S,
  argv: string[],
  options: ParseTaskArgsOptions = {},
): ParsedArgs<z.infer<S>> {
  const specs = fieldSpecs(schema);
  const parseOptions: Record<string, { type: "string" | "boolean"; multiple?: boolean }> = {
    config: { type: "string" },
    help: { type: "boolean" },
  };
  if (options.presets) parseOptions.preset = { type: "string" };
  for (const spec of specs) {
    parseOptions[spec.flag] = { type: spec.kind === "boolean" ? "boolean" : "string" };
    if (spec.multiple) parseOptions[spec.flag].multiple = true;
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv, parseOptions),
      options: parseOptions,
      strict: true,
      allowPositionals: true,
      allowNegative: true,
    });
  } catch (error) {
    throw new UsageError(`Cannot parse arguments: ${describeParseError(error)}`);
  }
  const preset = selectPreset(parsed.values.preset as string | undefined, options.presets);
  if (parsed.values.help) return preset ? { help: true, preset } : { help: true };

  const fromCli: Record<string, unknown> = {};
  for (const spec of specs) {
    const raw = parsed.values[spec.flag];
    if (raw === undefined) continue;
    fromCli[spec.key] = spec.multiple
      ? (raw as string[]).map((v) => coerce(spec, v))
      : coerce(spec, raw as string | boolean);
  }
  if (parsed.positionals.length > 0) {
    if (!options.positional) {
      throw new UsageError(
        `Cannot parse arguments: unexpected argument "${
          parsed.positionals[0]
        }" (flags start with --)`,
      );
    }
    fromCli[options.positional] = parsed.positionals;
  }

  const configPath = parsed.values.config as string | undefined;
  const fromConfig = configPath ? readConfig(configPath, specs, options.readTextFile) : {};
  const merged = { ...preset, ...fromConfig, ...fromCli };
  const result = schema.strict().safeParse(merged);
  if (!result.success) throw new UsageError(describeIssue(result.error.issues[0], merged));
  return { help: false, args: result.data as z.infer<S> };
}

/**
 * `--limit -1` → `--limit=-1`: parseArgs takes a value that starts with a dash for a flag, so a
 * negative number would be refused as ambiguous instead of by the flag's own check.
 */
function joinNegativeValues(
  argv: string[],
  options: Record<string, { type: "string" | "boolean" }>,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i].startsWith("--") ? argv[i].slice(2) : undefined;
    const next = argv[i + 1];
    if (
      flag !== undefined && options[flag]?.type === "string" && next !== undefined &&
      /^-\d/.test(next)
    ) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

function selectPreset(
  name: string | undefined,
  presets: ParseTaskArgsOptions["presets"],
): Readonly<Record<string, unknown>> | undefined {
  if (name === undefined || !presets) return undefined;
  const preset = presets[name];
  if (!preset) {
    throw new UsageError(
      `Cannot parse arguments: --preset expects one of ${
        Object.keys(presets).join(", ")
      }, got "${name}"`,
    );
  }
  return preset;
}

function coerce(spec: FieldSpec, raw: string | boolean): unknown {
  if (spec.kind === "boolean" || typeof raw === "boolean") return raw;
  if (spec.kind === "number") {
    const value = Number(raw);
    if (raw.trim() === "" || Number.isNaN(value)) {
      throw new UsageError(`Cannot parse arguments: --${spec.flag} expects a number, got "${raw}"`);
    }
    return value;
  }
  return raw;
}

function readConfig(
  path: string,
  specs: FieldSpec[],
  readTextFile: (path: string) => string = Deno.readTextFileSync,
): Record<string, unknown> {
  let text: string;
  try {
    text = readTextFile(path);
  } catch (error) {
    throw new UsageError(`Cannot read config: ${(error as Error).message} (--config ${path})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`Cannot read config: invalid JSON, ${(error as Error).message} (${path})`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new UsageError(`Cannot read config: expected a JSON object (${path})`);
  }
  const known = new Set(specs.map((s) => s.key));
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(data)) {
    const key = toKey(name);
    if (!known.has(key)) {
      throw new UsageError(`Cannot read config: unknown option "${name}" (${path})`);
    }
    out[key] = value;
  }
  return out;
}

function describeParseError(error: unknown): string {
  const message = (error as Error).message;
  const unknown = message.match(/Unknown option '([^']+)'/);
  if (unknown) return `unknown flag ${unknown[1]} (see --help)`;
  const missing = message.match(/Option '(?:-\w, )?(--[^ ']+)[^']*' argument missing/);
  if (missing) return `${missing[1]} expects a value`;
  return message.split("\n")[0];
}

function describeIssue(issue: z.core.$ZodIssue, input: Record<string, unknown>): string {
  const key = issue.path[0];
  if (issue.code === "unrecognized_keys") {
    return `Cannot parse arguments: unknown option ${
      issue.keys.map((k) => `--${toFlag(k)}`).join(", ")
    }`;
  }
  if (typeof key !== "string") return `Cannot parse arguments: ${issue.message}`;
  const flag = `--${toFlag(key)}`;
  const got = input[key];
  const shown = got === undefined ? "" : `, got ${JSON.stringify(got)}`;
  return `Cannot parse arguments: ${flag} ${expectation(issue)}${shown}`;
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_value":
      return `expects one of ${issue.values.map((v) => String(v)).join(", ")}`;
    case "invalid_type":
      return issue.input === undefined ? "is required" : `expects a ${issue.expected}`;
    case "too_small":
      return `expects a value ${issue.inclusive ? ">=" : ">"} ${issue.minimum}`;
    case "too_big":
      return `expects a value ${issue.inclusive ? "<=" : "<"} ${issue.maximum}`;
    default:
      return issue.message.replace(/^Invalid input: /, "expects ").toLowerCase();
  }
}
