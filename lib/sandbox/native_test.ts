import assert from "node:assert/strict";
import { escapeSuite } from "./_escape_suite.ts";
import { createSandbox } from "./sandbox.ts";

/** Whether this machine can run the native backend (bubblewrap and user namespaces). */
const nativeWorks = (() => {
  try {
    createSandbox({ backend: "native", workers: 1 }).close();
    return true;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "native sandbox: correctness, numpy/sympy/mpmath, and every escape attempt",
  ignore: !nativeWorks,
  async fn(t) {
    const sandbox = createSandbox({ backend: "native", workers: 2, timeoutMs: 5000 });
    await sandbox.start("python");
    const py = (code: string, session?: string) => sandbox.exec(code, { session });

    await t.step("cells run like the Pyodide backend's: echo, errors, sessions", async () => {
      assert.deepEqual(
        { ...(await py("print('héllo ∑')\n2**100")), durationMs: 0 },
        {
          status: "ok",
          stdout: "héllo ∑\n1267650600228229401496703205376\n",
          stderr: "",
          error: null,
          truncated: false,
          durationMs: 0,
        },
      );
      const err = await py("import sys\nprint('partial')\nprint('warn', file=sys.stderr)\nnope");
      assert.equal(err.error, "NameError: name 'nope' is not defined");
      assert.equal(err.stdout, "partial\n");
      assert.equal(err.stderr, "warn\n");
      await py("counter = 10", "s1");
      assert.equal((await py("counter += 1\ncounter", "s1")).stdout, "11\n");
      assert.match((await py("counter", "s2")).error ?? "", /^NameError/);
      sandbox.endSession("s1");
      assert.match((await py("counter", "s1")).error ?? "", /^NameError/);
      assert.equal((await py("x = 1;")).stdout, "", "a trailing semicolon silences the echo");
      const flood = await py("for i in range(10**5): print('flood', i)");
      assert.equal(flood.truncated, true);
      assert.ok(flood.stdout.endsWith("…[output truncated]") && flood.stdout.length < 500);
      assert.match((await py("def f(n): return f(n + 1)\nf(0)")).error ?? "", /^RecursionError/);
      assert.notEqual((await py("input()")).status, "ok");
    });

    await t.step("numpy, sympy and mpmath work", async () => {
      const result = await py(
        "import numpy as np, sympy as sp, mpmath\n" +
          "print(np.linalg.det(np.array([[2.0, 1.0], [1.0, 3.0]])).round(6))\n" +
          "x = sp.symbols('x')\nprint(sp.solve(x**2 - 4, x))\n" +
          "mpmath.mp.dps = 20\nprint(mpmath.pi)",
      );
      assert.equal(result.stdout, "5.0\n[-2, 2]\n3.1415926535897932385\n", JSON.stringify(result));
    });

    await t.step("provenance names the interpreter and its packages", () => {
      const p = sandbox.provenance;
      assert.equal(p.backend, "native");
      assert.match(p.python, /^3\.\d+\.\d+$/);
      for (const name of ["numpy", "sympy", "mpmath"] as const) assert.ok(p[name], name);
    });

    await escapeSuite(t, sandbox, "native");
    await sandbox.close();
  },
});

Deno.test("native sandbox: where bubblewrap cannot start, it refuses in one line", () => {
  // An interpreter path bubblewrap cannot run stands for a machine where it cannot start.
  assert.throws(
    () => createSandbox({ backend: "native", python: "/nonexistent/python3" }),
    /^Error: Cannot use --python \/nonexistent\/python3: /,
  );
});
