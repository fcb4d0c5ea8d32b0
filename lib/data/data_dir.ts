import { join } from "node:path";

/** Where dataset files are read from, and why that folder was chosen. */
export interface DataDir {
  path: string;
  /** `--data-dir`, `TOCODE_DATA`, or `cache` (filled by download). */
  origin: "--data-dir" | "TOCODE_DATA" | "cache";
}

/** Options of {@linkcode resolveDataDir}. */
export interface ResolveDataDirOptions {
  /** The `--data-dir` flag. */
  dataDir?: string;
  /** Environment lookup; injectable for tests. */
  env?: (name: string) => string | undefined;
}

/**
 * Picks the data folder: `--data-dir`, else the `TOCODE_DATA` variable, else the user cache
 * folder (`$XDG_CACHE_HOME/tocode/datasets` or `~/.cache/tocode/datasets`), which downloads fill.
 */
export function resolveDataDir(options: ResolveDataDirOptions = {}): DataDir {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  if (options.dataDir) return { path: options.dataDir, origin: "--data-dir" };
  const fromEnv = env("TOCODE_DATA");
  if (fromEnv) return { path: fromEnv, origin: "TOCODE_DATA" };
  const cacheHome = env("XDG_CACHE_HOME") ?? join(env("HOME") ?? ".", ".cache");
  return { path: join(cacheHome, "tocode", "datasets"), origin: "cache" };
}
