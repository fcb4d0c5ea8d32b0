import assert from "node:assert/strict";
import { escapeSuite } from "./_escape_suite.ts";
import { nativeSandboxWorks } from "../../tests/fixtures/native_sandbox.ts";
import { createSandbox } from "./sandbox.ts";

Deno.test({
  name: "native sandbox: correctness, numpy/sympy/mpmath, and every escape attempt",
  ignore: !nativeSandboxWorks,
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

    await t.step(
      "what a cell writes to the process's stdout does not reach the answers",
      async () => {
        const write = await py(
          "import os\nos.write(1, b'no newline')\nos.write(2, b'x' * 100000)\n'answered'",
        );
        assert.equal(write.stdout, "'answered'\n");
        assert.equal((await py("print('next')")).stdout, "next\n");
      },
    );

    await escapeSuite(t, sandbox, "native");
    await sandbox.close();
  },
});

Deno.test("native sandbox: an interpreter that cannot start is refused in one line", () => {
  assert.throws(
    () => createSandbox({ backend: "native", python: "/nonexistent/python3" }),
    /^Error: Cannot use --python \/nonexistent\/python3: /,
  );
});

const canUnshare = (() => {
  try {
    return new Deno.Command("unshare", { args: ["-r", "true"], stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "native sandbox: where bubblewrap cannot start, exec refuses in one line and runs nothing",
  // Root starts bubblewrap as an unprivileged user; inside a user namespace of its own that user
  // does not exist, so the sandbox cannot start there.
  ignore: !canUnshare || Deno.uid() !== 0,
  async fn() {
    const main = new URL("../../tasks/main.ts", import.meta.url).pathname;
    const child = new Deno.Command("unshare", {
      args: [
        "-r",
        Deno.execPath(),
        "run",
        "-A",
        main,
        "exec",
        "--sandbox",
        "native",
        "--code",
        "print(1)",
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const out = await child.output();
    const stderr = new TextDecoder().decode(out.stderr).trim();
    assert.notEqual(out.code, 0);
    assert.equal(new TextDecoder().decode(out.stdout), "", "no cell ran");
    assert.match(
      stderr,
      /^exec: Cannot use --sandbox native: bubblewrap cannot start here \(.+\)$/,
    );
    assert.equal(stderr.split("\n").length, 1, stderr);
  },
});
