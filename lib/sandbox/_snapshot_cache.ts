import { join } from "node:path";
import { PYTHON_SESSION_SOURCE } from "./_python_session.ts";

/** What a Pyodide snapshot depends on: the same inputs give the same snapshot. */
export interface SnapshotKey {
  pyodideVersion: string;
  packagesDir?: string;
  prewarm: string[];
  recursionLimit: number;
}

/** Where a worker finds the snapshot its sessions start from, or where it writes a new one. */
export type SnapshotPlan =
  | { use: string }
  | { make: string; keep: () => Promise<void> };

/**
 * The snapshot every Python session starts from is made once per set of inputs and kept in the
 * user's cache folder (`$XDG_CACHE_HOME/tocode/sandbox`, else `~/.cache/tocode/sandbox`), so a
 * pool starts in a fraction of Pyodide's full load. It holds the interpreter as the project's own
 * code left it, before any cell: no state of any run. A worker that makes it writes a file of its
 * own, moved into place once the worker is up (`keep`), so a half-written snapshot is never used.
 */
export async function planSnapshot(key: SnapshotKey): Promise<SnapshotPlan> {
  const env = (name: string) => Deno.env.get(name);
  const dir = join(
    env("XDG_CACHE_HOME") ?? join(env("HOME") ?? ".", ".cache"),
    "tocode",
    "sandbox",
  );
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(JSON.stringify([key, Deno.version.deno, PYTHON_SESSION_SOURCE])),
  );
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  const path = join(dir, `pyodide-${key.pyodideVersion}-${hex.slice(0, 16)}.snapshot`);
  try {
    if (Deno.statSync(path).isFile) return { use: path };
  } catch {
    // not made yet
  }
  Deno.mkdirSync(dir, { recursive: true });
  const make = `${path}.${crypto.randomUUID()}.part`;
  return {
    make,
    keep: async () => {
      try {
        await Deno.rename(make, path);
      } catch {
        // Another pool moved its copy into place first, or the cache is read-only: the next
        // pool makes it again.
        await Deno.remove(make).catch(() => {});
      }
    },
  };
}
