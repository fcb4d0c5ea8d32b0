import { dirname, resolve } from "node:path";
import { NATIVE_REPL_SOURCE } from "./_native_repl.ts";
import type { WorkerLaunch } from "./worker_process.ts";

/** The interpreter the native backend uses when none is named. */
export const SYSTEM_PYTHON = "/usr/bin/python3";

/** Where the pool's socket appears inside the sandbox. */
const SOCKET_INSIDE = "/run/tocode.sock";

/** The unprivileged user a root pool runs bubblewrap as (nobody). */
const UNPRIVILEGED = "65534";

/** A CPython interpreter as the native backend runs it: its path and the folders it needs. */
export interface NativePython {
  executable: string;
  /** Folders outside /usr the interpreter and its packages live in, bound read-only. */
  binds: string[];
}

/** What a native worker's sessions may use (see _native_repl.ts). */
export interface NativeLimits {
  /** Address space a session may add to the worker's, MiB. */
  memoryMiB: number;
  /** Processes and threads of one session. */
  processes: number;
  /** Largest file a session may write, MiB. */
  fileMiB: number;
  /** Size of a session's /tmp (and /dev/shm), MiB. */
  tmpMiB: number;
  /** CPU seconds of a session, all its cells together (the wall timeout ends a cell first). */
  cpuSeconds: number;
}

/**
 * Finds the interpreter's folders by asking it (outside the sandbox: the interpreter is the
 * user's, no cell has run): its prefixes and `sys.path` entries outside /usr, so a virtualenv's
 * site-packages are bound read-only next to the system's.
 */
export function inspectPython(path = SYSTEM_PYTHON): NativePython {
  let output: Deno.CommandOutput;
  try {
    output = new Deno.Command(path, {
      args: [
        "-I",
        "-c",
        "import json, sys; print(json.dumps([sys.executable, sys.prefix, sys.base_prefix, *sys.path]))",
      ],
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
  } catch (error) {
    throw new Error(`Cannot use --python ${path}: ${(error as Error).message}`);
  }
  if (!output.success) {
    const why = new TextDecoder().decode(output.stderr).trim().split("\n").at(-1);
    throw new Error(`Cannot use --python ${path}: it failed to start (${why})`);
  }
  const [executable, ...places] = JSON.parse(new TextDecoder().decode(output.stdout)) as string[];
  const folders = [dirname(executable), ...places, dirname(resolve(path))]
    .filter((p) => p && !p.startsWith("/usr/") && p !== "/usr" && exists(p));
  const binds = [...new Set(folders)].sort()
    .filter((p, i, all) => !all.slice(0, i).some((q) => p.startsWith(q + "/")));
  return { executable: resolve(path), binds };
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The bubblewrap command that holds a native worker: namespaces of its own (user, PID, network,
 * IPC, UTS, cgroup), no capability, a new terminal session, dying with the pool; nothing of the
 * host but /usr, /etc/alternatives (numpy's BLAS) and the interpreter's folders, all read-only;
 * the root and /dev read-only, /tmp a tmpfs. A pool that runs as root starts bubblewrap as an
 * unprivileged user, so the sandbox's processes are nobody's on the host and the process limit
 * counts. `inside` is the command to run in it.
 */
export function bwrapCommand(
  python: NativePython,
  inside: string[],
  options: { socket?: string } = {},
): { command: string; args: string[] } {
  const bwrap = [
    "--unshare-all",
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL",
    "--ro-bind",
    "/usr",
    "/usr",
    "--symlink",
    "usr/lib",
    "/lib",
    "--symlink",
    "usr/lib64",
    "/lib64",
    "--symlink",
    "usr/bin",
    "/bin",
    "--symlink",
    "usr/sbin",
    "/sbin",
    "--ro-bind-try",
    "/etc/alternatives",
    "/etc/alternatives",
    ...python.binds.flatMap((folder) => ["--ro-bind", folder, folder]),
    ...(options.socket ? ["--ro-bind", options.socket, SOCKET_INSIDE] : []),
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--tmpfs",
    "/tmp",
    "--remount-ro",
    "/dev",
    "--remount-ro",
    "/",
    "--chdir",
    "/tmp",
    ...inside,
  ];
  if (Deno.uid() !== 0) return { command: "bwrap", args: bwrap };
  return {
    command: "setpriv",
    args: [
      `--reuid=${UNPRIVILEGED}`,
      `--regid=${UNPRIVILEGED}`,
      "--clear-groups",
      "--inh-caps=-all",
      "bwrap",
      ...bwrap,
    ],
  };
}

/** The environment of a native worker: one BLAS thread (a thread is a process to the limit). */
const ENV = {
  HOME: "/tmp",
  LANG: "C.UTF-8",
  PATH: "/usr/bin:/bin",
  OPENBLAS_NUM_THREADS: "1",
  OMP_NUM_THREADS: "1",
  MKL_NUM_THREADS: "1",
};

/** The launch of a native worker (see _native_repl.ts). */
export function nativeLaunch(
  python: NativePython,
  limits: NativeLimits,
): (dir: string, socket: string) => WorkerLaunch {
  return (_dir, socket) => {
    const nonce = crypto.randomUUID();
    const { command, args } = bwrapCommand(
      python,
      [python.executable, "-I", "-c", NATIVE_REPL_SOURCE, SOCKET_INSIDE],
      { socket },
    );
    return {
      command,
      args,
      env: { ...ENV, TOCODE_NONCE: nonce },
      nonce,
      openToOthers: Deno.uid() === 0,
      settings: { ...limits, prewarm: ["numpy", "sympy"] },
    };
  };
}

/** What a native interpreter reports about itself. */
export interface NativeProvenance {
  executable: string;
  python: string;
  numpy: string | null;
  sympy: string | null;
  scipy: string | null;
  mpmath: string | null;
}

const PROBE = `
import json, sys
def version(name):
    try:
        return __import__(name).__version__
    except Exception:
        return None
print(json.dumps({"executable": sys.executable, "python": sys.version.split()[0],
                  **{name: version(name) for name in ("numpy", "sympy", "scipy", "mpmath")}}))
`;

/** Runs code in the interpreter inside the sandbox; one line where bubblewrap cannot start. */
function runInSandbox(python: NativePython, code: string): string {
  const { command, args } = bwrapCommand(python, [python.executable, "-I", "-c", code]);
  let output: Deno.CommandOutput;
  try {
    output = new Deno.Command(command, {
      args,
      clearEnv: true,
      env: ENV,
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
  } catch (error) {
    throw new Error(
      `Cannot use --sandbox native: ${command} cannot be started (${
        (error as Error).message
      }); install bubblewrap${command === "setpriv" ? " and util-linux" : ""}`,
    );
  }
  if (!output.success) {
    const why = new TextDecoder().decode(output.stderr).trim().split("\n").at(-1) ?? "";
    throw new Error(`Cannot use --sandbox native: bubblewrap cannot start here (${why})`);
  }
  return new TextDecoder().decode(output.stdout);
}

const started = new Set<string>();

/**
 * Starts the interpreter once inside the sandbox it will run in: refuses, in one line, where
 * bubblewrap cannot start (no user namespaces, no bwrap). Never falls back to an unsandboxed
 * interpreter.
 */
export function probeNative(python: NativePython): void {
  if (started.has(python.executable)) return;
  runInSandbox(python, "pass");
  started.add(python.executable);
}

const probed = new Map<string, NativeProvenance>();

/** What the interpreter reports about itself, asked inside the sandbox. */
export function nativeProvenance(python: NativePython): NativeProvenance {
  const known = probed.get(python.executable);
  if (known) return known;
  const provenance = JSON.parse(runInSandbox(python, PROBE)) as NativeProvenance;
  probed.set(python.executable, provenance);
  started.add(python.executable);
  return provenance;
}
