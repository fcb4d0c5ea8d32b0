import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Folders where Debian's python3-sympy / python3-mpmath put their pure-Python packages. */
const CANDIDATES = ["/usr/lib/python3/dist-packages", "/usr/local/lib/python3/dist-packages"];

/**
 * Finds a folder holding pure-Python `sympy` and `mpmath` for Pyodide: the given one (checked),
 * else Debian's dist-packages; undefined when there is none (sympy is then unavailable).
 */
export function findPythonPackages(dir?: string): string | undefined {
  const has = (d: string) => {
    try {
      return Deno.statSync(join(d, "sympy", "__init__.py")).isFile &&
        Deno.statSync(join(d, "mpmath", "__init__.py")).isFile;
    } catch {
      return false;
    }
  };
  if (dir) {
    if (!has(dir)) {
      throw new Error(
        `Cannot use Python packages: ${dir} has no sympy/ and mpmath/ package folders (--python-packages)`,
      );
    }
    return dir;
  }
  return CANDIDATES.find(has);
}

/** The folder of the npm pyodide package (its WASM, stdlib and loader), which workers may read. */
export function pyodideFolder(): string {
  return dirname(fileURLToPath(import.meta.resolve("pyodide")));
}

/** The version of the npm pyodide package. */
export function pyodideVersion(): string {
  return JSON.parse(Deno.readTextFileSync(join(pyodideFolder(), "package.json"))).version;
}
