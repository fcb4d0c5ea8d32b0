/**
 * Qwen2.5-Math's executor semantics, checked against what their code does (evaluation/
 * trajectory.py and evaluation/python_executor.py, read for these cases; docs/sandbox.md cites
 * the commits), on both Python backends.
 */
import assert from "node:assert/strict";
import { qwenProgram, qwenSucceeded } from "./qwen_semantics.ts";
import { nativeSandboxWorks } from "../../tests/fixtures/native_sandbox.ts";
import { createSandbox } from "./sandbox.ts";

Deno.test("qwenSucceeded() is their is_execution_success: no failure word, any case", () => {
  assert.equal(qwenSucceeded("42"), true);
  assert.equal(qwenSucceeded("Done"), true);
  assert.equal(qwenSucceeded("ZeroDivisionError: division by zero"), false);
  assert.equal(qwenSucceeded("Exception"), false);
  assert.equal(qwenSucceeded("Timeout Error"), false);
  assert.equal(qwenSucceeded("cannot compute"), false);
  assert.equal(qwenSucceeded("nan"), false);
  assert.equal(qwenSucceeded("financial"), false, "their substring test: 'nan' in 'financial'");
  assert.equal(qwenSucceeded("aaa...bbb"), false, "a cut output counts as a failure");
});

Deno.test("qwenProgram() is their extract_program over the session's cells", () => {
  const earlier = [
    { code: "import math\nx = 6\nprint(x)\n", shown: "6" },
    {
      code: "from fractions import Fraction\ny = 1 / 0\n  import os\n",
      shown: "ZeroDivisionError: division by zero",
    },
    { code: "z = x + 1\n    print(z)\n", shown: "7" },
  ];
  assert.equal(
    qwenProgram(earlier, "print(x * z)\n"),
    // failed cell: only its unindented import lines, put first; print( lines dropped from all
    // but the last program; programs joined by newlines
    "from fractions import Fraction\nimport math\nx = 6\n\nz = x + 1\n\nprint(x * z)\n",
  );
  assert.equal(qwenProgram([], "print(1)"), "print(1)");
});

const backends = [
  { backend: "pyodide" as const, works: true },
  {
    backend: "native" as const,
    works: nativeSandboxWorks,
  },
];

for (const { backend, works } of backends) {
  Deno.test({
    name: `${backend}: --exec-semantics qwen shows what their harness shows`,
    ignore: !works,
    async fn() {
      const sandbox = createSandbox({ backend, execSemantics: "qwen", workers: 1 });
      const run = async (code: string, session = "s") => {
        const result = await sandbox.exec(code, { session, timeoutMs: 20_000 });
        return result.output;
      };
      try {
        assert.equal(await run("x = 6\nprint(x)\n"), "6");
        // the earlier cell's definitions are there; its print( line is not run again
        assert.equal(await run("print(x * 7)\n"), "42");
        assert.equal(await run("y = 1 / 0\nprint(y)\n"), "ZeroDivisionError: division by zero");
        // a failed cell is left out: x is still 6, y was never defined
        assert.equal(await run("print(x + 1)\n"), "7");
        // no print( in the last line: the line's value, by str(), not repr()
        assert.equal(await run("s = 'abc'\ns\n"), "abc");
        assert.equal(await run("x * 2\n"), "12");
        // a last line that is no expression cannot be evaluated: their report is the SyntaxError
        assert.match((await run("z = 3\n")) ?? "", /^SyntaxError: invalid syntax/);
        // nothing printed: "Done"
        assert.equal(await run("print('')\n", "other"), "Done");
        // stripped, then cut to the first and last 200 characters around "..."
        assert.equal(
          await run("print('  ' + 'a' * 300 + 'b' * 300 + '  ')\n", "cut"),
          "a".repeat(200) + "..." + "b".repeat(200),
        );
        assert.equal(await run("input('?')\nprint(1)\n", "input"), "RuntimeError");
        const timeout = await sandbox.exec("while True: pass\nprint(1)\n", {
          session: "loop",
          timeoutMs: 1000,
        });
        assert.equal(timeout.status, "timeout");
        assert.equal(timeout.output, "Timeout Error");
      } finally {
        await sandbox.close();
      }
    },
  });
}

Deno.test({
  name: "a sympy-heavy cell prints the same in both backends",
  ignore: !backends[1].works,
  async fn() {
    const code = [
      "import sympy as sp",
      "x, y = sp.symbols('x y')",
      "print(sp.integrate(sp.exp(x) * sp.sin(x), x))",
      "print(sp.factorint(2**32 + 1))",
      "print(sp.solve([x + y - 10, x - y - 2], [x, y]))",
      "print(sp.series(sp.sin(x), x, 0, 8))",
      "print(sp.nsimplify(0.125), sp.Rational(22, 7).evalf(30))",
      "print(sp.Matrix([[1, 2], [3, 4]]).inv())",
      "sp.simplify((x**2 - 1) / (x - 1))",
    ].join("\n");
    const outputs: string[] = [];
    for (const backend of ["pyodide", "native"] as const) {
      const sandbox = createSandbox({ backend, workers: 1 });
      const result = await sandbox.exec(code, { timeoutMs: 120_000 });
      await sandbox.close();
      assert.equal(result.status, "ok", `${backend}: ${result.error}`);
      outputs.push(result.stdout);
    }
    assert.equal(outputs[0], outputs[1]);
    assert.match(outputs[0], /x \+ 1\n$/);
  },
});
