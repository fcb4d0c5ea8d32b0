import { builtinModules } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { HostSettings } from "./_protocol.ts";
import type { WorkerLaunch } from "./worker_process.ts";

const HOST = fileURLToPath(new URL("./_deno_host.ts", import.meta.url));

/**
 * The node built-ins Pyodide imports when it loads (it runs in Deno as in Node). Each is harmless
 * or bounded by permissions (fs reads the granted folders only, tty finds no terminal).
 */
const PYODIDE_BUILTINS = ["url", "fs", "fs/promises", "vm", "path", "crypto", "tty"];

/**
 * node:child_process for Python workers: Pyodide imports it (for `os.system`); this one runs
 * nothing, whatever the permissions say.
 */
const NO_PROCESSES = [
  'const refuse = () => { throw new TypeError("Cannot run a process: the sandbox runs none"); };',
  "export const spawn = refuse, spawnSync = refuse, exec = refuse, execSync = refuse,",
  "  execFile = refuse, execFileSync = refuse, fork = refuse;",
  "export default { spawn, spawnSync, exec, execSync, execFile, execFileSync, fork };",
].join("\n");

/**
 * node:module for Python workers: Pyodide's Emscripten code takes `require` from its
 * `createRequire`; this one requires only the built-ins above, so no one reaches worker_threads
 * (or anything else) through it.
 */
const SHIMMED = [...PYODIDE_BUILTINS, "child_process"];
const PYODIDE_MODULE_SHIM = [
  ...SHIMMED.map((name, i) => `import m${i} from "node:${name}";`),
  `const allowed = { ${SHIMMED.map((name, i) => `"${name}": m${i}`).join(", ")} };`,
  "export function createRequire() {",
  "  return (name) => {",
  '    const bare = String(name).replace(/^node:/, "");',
  "    if (Object.hasOwn(allowed, bare)) return allowed[bare];",
  '    throw new TypeError("Cannot require " + bare + ": node built-ins are refused in the sandbox");',
  "  };",
  "}",
  "export const builtinModules = Object.keys(allowed);",
  "export default { createRequire, builtinModules };",
].join("\n");

/** Options of {@linkcode denoLaunch}. */
export interface DenoLaunchOptions {
  settings: HostSettings;
  /** V8 heap and WASM memory cap of each session isolate, in MiB. */
  memoryMiB: number;
}

/**
 * The command line of a Deno worker process: no permission but reading the given folders (and,
 * for JavaScript, `sys`, which each isolate drops after attaching its inspector), and no import
 * that could leave the process or read the host:
 *
 * - `--no-remote`, `--no-npm`, `--no-config` (no import map, no node_modules resolution), and an
 *   import allow-list holding one unreachable address in place of Deno's default list (deno.land,
 *   jsr.io, esm.sh, ...), so an import from any host fails on permission, before any lookup;
 * - an import map that sends every node built-in a session does not need (worker_threads,
 *   child_process for JS, v8, inspector, net, ...) to a module that throws;
 * - a `DENO_DIR` in the worker's private folder, removed with it: no cache, no web storage, no
 *   location data outlives the worker.
 */
export function denoLaunch(
  options: DenoLaunchOptions,
): (dir: string, socket: string) => WorkerLaunch {
  return (dir, socket) => {
    const importMap = join(dir, "import_map.json");
    Deno.writeTextFileSync(importMap, JSON.stringify(refusedBuiltins(options.settings.language)));
    const { memoryMiB } = options;
    const { snapshotPath, snapshotOut } = options.settings.python ?? {};
    const snapshotRead = snapshotPath ? [snapshotPath] : [];
    const snapshotWrite = snapshotOut ? [snapshotOut] : [];
    return {
      command: Deno.execPath(),
      args: [
        "run",
        "--quiet",
        "--no-prompt",
        "--no-config",
        "--no-lock",
        "--no-remote",
        "--no-npm",
        "--unstable-worker-options",
        "--allow-import=0.0.0.0:9",
        `--import-map=${importMap}`,
        `--allow-net=unix:${socket}`,
        `--allow-read=${[socket, ...options.settings.readable, ...snapshotRead].join(",")}`,
        `--allow-write=${[socket, ...snapshotWrite].join(",")}`,
        ...(options.settings.language === "javascript" ? ["--allow-sys"] : []),
        // Caps of each session isolate: its WASM memory (64 KiB pages), and its JS heap, a little
        // above the cap that counts everything (the host's), which then ends the cell first.
        `--v8-flags=--max-old-space-size=${memoryMiB + 256},--wasm-max-mem-pages=${
          memoryMiB * 16
        },--stack-size=2000,--expose-gc,--max-semi-space-size=2`,
        HOST,
        socket,
      ],
      env: { NO_COLOR: "1", DENO_DIR: join(dir, "deno") },
      settings: options.settings,
    };
  };
}

/** An import map that refuses the node built-ins a session of this language does not need. */
export function refusedBuiltins(
  language: HostSettings["language"],
): { imports: Record<string, string> } {
  const imports: Record<string, string> = {};
  const module = (source: string) => `data:text/javascript,${encodeURIComponent(source)}`;
  for (const name of builtinModules) {
    const bare = name.replace(/^node:/, "");
    if (language === "python" && PYODIDE_BUILTINS.includes(bare)) continue;
    const message = `Cannot import node:${bare}: node built-ins are refused in the sandbox`;
    imports[`node:${bare}`] = module(`throw new TypeError(${JSON.stringify(message)});`);
  }
  if (language === "python") {
    imports["node:module"] = module(PYODIDE_MODULE_SHIM);
    imports["node:child_process"] = module(NO_PROCESSES);
  }
  return { imports };
}
