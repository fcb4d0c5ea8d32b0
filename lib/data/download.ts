import { dirname } from "node:path";
import type { DatasetDefinition } from "./dataset.ts";

/** Options of {@linkcode downloadDataset}. */
export interface DownloadOptions {
  /** Problem texts to leave out (the definition's `excludeProblemsOf`). */
  exclude?: ReadonlySet<string>;
  /** Injectable for tests (a local server). */
  fetch?: typeof fetch;
  /** Overrides the definition's URL (mirrors, tests). */
  url?: string;
}

/**
 * Downloads a dataset's pinned source file, checks its sha256, normalises it and writes the
 * JSONL to `path` atomically (temp file + rename), so a failed download leaves nothing behind.
 */
export async function downloadDataset(
  definition: DatasetDefinition,
  path: string,
  options: DownloadOptions = {},
): Promise<void> {
  const url = options.url ?? definition.source.url;
  const fail = (why: string): never => {
    throw new Error(`Cannot download dataset "${definition.name}": ${why} (${url})`);
  };
  let bytes: Uint8Array;
  try {
    const response = await (options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(60_000) });
    if (!response.ok) fail(`HTTP ${response.status}`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if ((error as Error).message.startsWith("Cannot download")) throw error;
    return fail((error as Error).message.split("\n")[0]);
  }
  const digest = await sha256Hex(bytes);
  if (digest !== definition.source.sha256) {
    fail(`sha256 is ${digest}, expected ${definition.source.sha256}`);
  }
  const rows = definition.source.normalise(
    new TextDecoder().decode(bytes),
    options.exclude ?? new Set(),
  );
  if (rows.length !== definition.rows) {
    fail(`normalised ${rows.length} rows, expected ${definition.rows}`);
  }
  await Deno.mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${crypto.randomUUID().slice(0, 8)}.part`;
  await Deno.writeTextFile(temp, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  await Deno.rename(temp, path);
}

/** Hex sha256 of some bytes. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
