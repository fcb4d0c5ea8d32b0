import denoJson from "../../deno.json" with { type: "json" };
import { gitRevision } from "./runs.ts";

/** What the software that made a run was: tocode's revision, Deno, and the pinned packages. */
export interface EnvironmentProvenance {
  tocode: { version: string; revision: string | null; dirty: boolean | null };
  deno: { deno: string; v8: string; typescript: string };
  /** npm packages as deno.json pins them (name → version). */
  packages: Record<string, string>;
}

/** The environment of this process, for a run's provenance (as lm-eval's results file has it). */
export async function environmentProvenance(): Promise<EnvironmentProvenance> {
  const packages: Record<string, string> = {};
  for (const spec of Object.values(denoJson.imports as Record<string, string>)) {
    const m = /^npm:(@?[^@]+)@(.+)$/.exec(spec);
    if (m) packages[m[1]] = m[2];
  }
  return {
    tocode: { version: denoJson.version, revision: await gitRevision(), dirty: await gitDirty() },
    deno: { ...Deno.version },
    packages,
  };
}

/** Whether the checkout has uncommitted changes; null outside a git checkout. */
async function gitDirty(): Promise<boolean | null> {
  try {
    const out = await new Deno.Command("git", {
      args: ["status", "--porcelain", "--untracked-files=no"],
      cwd: new URL("../..", import.meta.url).pathname,
      stdout: "piped",
      stderr: "null",
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() !== "" : null;
  } catch {
    return null;
  }
}
