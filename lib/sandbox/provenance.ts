import { join } from "node:path";
import { inspectPython, nativeProvenance } from "./_native_launch.ts";
import type { Backend } from "./options.ts";
import { findPythonPackages, pyodideFolder, pyodideVersion } from "./python_packages.ts";

/** What runs a sandbox's Python cells, to record with a run. */
export interface SandboxProvenance {
  backend: Backend;
  /** The interpreter: its path (native), or the pyodide package's version. */
  interpreter: string;
  /** CPython's version. */
  python: string;
  numpy: string | null;
  sympy: string | null;
  scipy: string | null;
  mpmath: string | null;
}

/**
 * What a sandbox with these options runs Python with. Native: the interpreter is started once
 * inside the sandbox and asked (and bubblewrap refused in one line where it cannot start);
 * Pyodide: its CPython version and the versions of the sympy and mpmath it mounts (it has no numpy
 * or scipy).
 */
export function sandboxProvenance(
  options: { backend?: Backend; python?: string; pythonPackages?: string } = {},
): SandboxProvenance {
  if (options.backend === "native") {
    const { executable, python, numpy, sympy, scipy, mpmath } = nativeProvenance(
      inspectPython(options.python),
    );
    return { backend: "native", interpreter: executable, python, numpy, sympy, scipy, mpmath };
  }
  const lock = JSON.parse(Deno.readTextFileSync(join(pyodideFolder(), "pyodide-lock.json")));
  const packages = findPythonPackages(options.pythonPackages);
  const versionIn = (file: string) => {
    if (!packages) return null;
    const text = Deno.readTextFileSync(join(packages, file));
    return text.match(/__version__\s*=\s*["']([^"']+)["']/)?.[1] ?? null;
  };
  return {
    backend: "pyodide",
    interpreter: `pyodide ${pyodideVersion()}`,
    python: lock.info.python,
    numpy: null,
    sympy: versionIn(join("sympy", "release.py")),
    scipy: null,
    mpmath: versionIn(join("mpmath", "__init__.py")),
  };
}
