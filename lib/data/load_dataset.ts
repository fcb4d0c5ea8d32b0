import { basename, join } from "node:path";
import type { DatasetDefinition, DatasetRegistry, LoadedDataset } from "./dataset.ts";
import { resolveDataDir } from "./data_dir.ts";
import { downloadDataset } from "./download.ts";
import { parseFieldMapping, parseProblems, problemsFromRows } from "./parse_jsonl.ts";
import { readParquetRows } from "./read_parquet.ts";

/** Options of {@linkcode loadDatasetFrom}. */
export interface LoadDatasetOptions {
  /** The `--data-dir` flag. */
  dataDir?: string;
  env?: (name: string) => string | undefined;
  fetch?: typeof fetch;
  /** The datasets names resolve against (datasets/mod.ts has the bundled registry). */
  registry: DatasetRegistry;
  /** `--field ours=theirs` mappings for files whose fields have other names. */
  fields?: readonly string[];
}

/** Finds a dataset definition by name, or throws listing the known names. */
export function getDataset(
  name: string,
  definitions: readonly DatasetDefinition[],
): DatasetDefinition {
  const found = definitions.find((d) => d.name === name);
  if (!found) {
    throw new RangeError(
      `Cannot load dataset "${name}": unknown name (known: ${
        definitions.map((d) => d.name).join(", ")
      }; or give a path to a .jsonl file)`,
    );
  }
  return found;
}

/**
 * Loads a dataset by name (math500, aime24, …) or from a JSONL or Parquet path (`fields` maps
 * other field names onto ours). Named datasets are read from
 * the data folder (`--data-dir`, else `TOCODE_DATA`, else the user cache, filled by download with
 * the sha256 checked). The whole file is validated before any problem is returned.
 */
export async function loadDatasetFrom(
  nameOrPath: string,
  options: LoadDatasetOptions,
): Promise<LoadedDataset> {
  const generated = loadGenerated(nameOrPath, options.registry);
  if (generated) return generated;
  const fields = parseFieldMapping(options.fields ?? []);
  if (/\.(jsonl|parquet)$/.test(nameOrPath) || nameOrPath.includes("/")) {
    const name = basename(nameOrPath).replace(/\.(jsonl|parquet)$/, "");
    const parse = { dataset: name, path: nameOrPath, fields };
    const problems = nameOrPath.endsWith(".parquet")
      ? problemsFromRows(await readRows(name, nameOrPath), { ...parse, unit: "row" })
      : parseProblems(await readText(name, nameOrPath), parse);
    return { name, path: nameOrPath, problems };
  }
  const definition = getDataset(nameOrPath, options.registry.files);
  const dir = resolveDataDir(options);
  const path = join(dir.path, definition.file);
  if (!(await exists(path))) {
    if (dir.origin !== "cache") {
      throw new Error(
        `Cannot load dataset "${definition.name}": ${definition.file} is not in the data folder ${dir.path} (from ${dir.origin}); put it there or unset ${dir.origin} to download it into the cache`,
      );
    }
    const exclude = definition.source.excludeProblemsOf
      ? new Set(
        (await loadDatasetFrom(definition.source.excludeProblemsOf, options)).problems.map((p) =>
          p.problem
        ),
      )
      : new Set<string>();
    try {
      await downloadDataset(definition, path, { exclude, fetch: options.fetch });
    } catch (error) {
      throw new Error(
        `${
          (error as Error).message
        }; offline, put ${definition.file} in ${dir.path} or point --data-dir / TOCODE_DATA at a folder that has it`,
      );
    }
  }
  const problems = parseProblems(await readText(definition.name, path), {
    dataset: definition.name,
    path,
    fields,
  });
  return { name: definition.name, path, problems };
}

/** `synthetic[:split[:size[:seed]]]` → the generated problems, or undefined for other names. */
function loadGenerated(name: string, registry: DatasetRegistry): LoadedDataset | undefined {
  const [base, split = "test", size, seed] = name.split(":");
  const dataset = registry.generated.find((d) => d.name === base);
  if (!dataset) return undefined;
  if (split !== "train" && split !== "dev" && split !== "test") {
    throw new RangeError(`Cannot load dataset "${name}": split must be train, dev or test`);
  }
  const count = size === undefined ? dataset.sizes[split] : Number(size);
  const seedValue = seed === undefined ? 0 : Number(seed);
  if (!Number.isInteger(count) || count <= 0 || !Number.isInteger(seedValue)) {
    throw new RangeError(`Cannot load dataset "${name}": size and seed must be integers`);
  }
  return {
    name,
    path: `generated:${name}`,
    problems: dataset.generate({ split, size: count, seed: seedValue }),
  };
}

async function readRows(name: string, path: string) {
  try {
    return await readParquetRows(path);
  } catch (error) {
    throw new Error(
      `Cannot load dataset "${name}": ${(error as Error).message.split("\n")[0]} (${path})`,
    );
  }
}

async function readText(name: string, path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    throw new Error(
      `Cannot load dataset "${name}": ${(error as Error).message.split("\n")[0]} (${path})`,
    );
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
