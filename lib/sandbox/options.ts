import { z } from "zod";

/** Where Python cells run. */
export type Backend = "pyodide" | "native";
/** How a Python cell runs: as a notebook cell, or as Qwen2.5-Math's executor runs it. */
export type ExecSemantics = "notebook" | "qwen";

/** Defaults of the sandbox flags. */
export const sandboxFlagDefaults = {
  sandbox: "pyodide" as Backend,
  execSemantics: "notebook" as ExecSemantics,
};

/**
 * The sandbox flags every task that runs code takes (`--sandbox`, `--python`,
 * `--exec-semantics`): spread `.shape` into a task's schema, and record them with the run.
 */
export const sandboxOptionsSchema = z.object({
  sandbox: z.enum(["pyodide", "native"]).default(sandboxFlagDefaults.sandbox).describe(
    "where Python cells run: pyodide (WASM, nothing to install) or native (CPython with its numpy and sympy, inside bubblewrap)",
  ),
  python: z.string().optional().describe(
    "interpreter of --sandbox native (default /usr/bin/python3); a virtualenv's site-packages are bound read-only",
  ),
  execSemantics: z.enum(["notebook", "qwen"]).default(sandboxFlagDefaults.execSemantics)
    .describe(
      "notebook: a trajectory's cells share globals, the last expression is echoed; qwen: Qwen2.5-Math's executor (each cell reruns the earlier successful ones in a fresh interpreter, output cut their way)",
    ),
});

/** The sandbox flags, parsed. */
export type SandboxFlags = z.infer<typeof sandboxOptionsSchema>;
