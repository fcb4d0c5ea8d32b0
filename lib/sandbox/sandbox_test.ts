import assert from "node:assert/strict";
import { join } from "node:path";
import { escapeSuite } from "./_escape_suite.ts";
import { createSandbox } from "./sandbox.ts";
import type { ExecResult } from "./types.ts";

const hasSympy = (() => {
  try {
    return Deno.statSync("/usr/lib/python3/dist-packages/sympy/__init__.py").isFile;
  } catch {
    return false;
  }
})();

Deno.test("sandbox: correctness, sessions, limits and every escape attempt", async (t) => {
  const sandbox = createSandbox({ workers: 2, timeoutMs: 3000 });
  await sandbox.start("python");
  const py = (code: string, session?: string) => sandbox.exec(code, { session });
  const js = (code: string, session?: string) =>
    sandbox.exec(code, { language: "javascript", session });
  const stillWorks = async () => {
    assert.equal((await py("print(40 + 2)")).stdout, "42\n");
    assert.equal((await js("console.log(40 + 2)")).stdout, "42\n");
  };
  const refused = (r: ExecResult) => {
    assert.notEqual(r.status, "ok", `expected a refusal, got ${JSON.stringify(r)}`);
    assert.ok(r.error, "the refusal carries an error");
    // A refusal comes from a wall, not from code that never ran.
    assert.doesNotMatch(r.error, /^SyntaxError/, "the cell parsed and reached the wall");
  };

  await t.step(
    "python prints, echoes the last expression, keeps unicode and big integers",
    async () => {
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
      assert.equal((await py("x = 3")).stdout, "", "an assignment echoes nothing");
      assert.equal(
        (await py("from fractions import Fraction\nFraction(1, 3) + Fraction(1, 6)")).stdout,
        "Fraction(1, 2)\n",
      );
      const err = await py(
        "import sys\nprint('partial')\nprint('warn', file=sys.stderr)\nundefined_name",
      );
      assert.equal(err.status, "error");
      assert.equal(err.error, "NameError: name 'undefined_name' is not defined");
      assert.equal(err.stdout, "partial\n");
      assert.equal(err.stderr, "warn\n");
    },
  );

  await t.step("sessions keep state like a notebook kernel and do not leak", async () => {
    await py("counter = 10", "s1");
    assert.equal((await py("counter += 1\ncounter", "s1")).stdout, "11\n");
    assert.equal((await py("counter", "s2")).error, "NameError: name 'counter' is not defined");
    assert.equal((await py("counter")).status, "error", "a cell without session starts fresh");
    sandbox.endSession("s1");
    assert.equal((await py("counter", "s1")).status, "error", "endSession frees the globals");
    await js("var kept = 5", "j1");
    assert.equal((await js("kept * 2", "j1")).stdout, "10\n");
    assert.equal((await js("typeof kept", "j2")).stdout, "undefined\n");
  });

  await t.step({
    name: "sympy and mpmath work offline",
    ignore: !hasSympy,
    fn: async () => {
      // The first import of sympy takes seconds (prewarm moves it to pool start).
      const r = await sandbox.exec(
        "import sympy as sp\nx = sp.symbols('x')\nprint(sp.solve(x**2 - 4, x))\nprint(sp.simplify(sp.sin(x)**2 + sp.cos(x)**2))\nsp.factorint(360)",
        { session: "sym", timeoutMs: 60_000 },
      );
      assert.equal(r.status, "ok", r.error ?? "");
      assert.equal(r.stdout, "[-2, 2]\n1\n{2: 3, 3: 2, 5: 1}\n");
      const mp = await sandbox.exec("import mpmath\nmpmath.mp.dps = 20\nprint(mpmath.pi)", {
        session: "sym",
        timeoutMs: 60_000,
      });
      assert.equal(mp.stdout, "3.1415926535897932385\n", JSON.stringify(mp));
    },
  });

  await t.step("host files cannot be read, written or listed", async () => {
    const secret = join(await Deno.makeTempDir(), "secret.txt");
    await Deno.writeTextFile(secret, "host secret");
    for (
      const code of [
        `open(${JSON.stringify(secret)}).read()`,
        `import pathlib\npathlib.Path(${JSON.stringify(secret)}).read_text()`,
        `import js\njs.Deno.readTextFileSync(${JSON.stringify(secret)})`,
        `import js\nlist(js.Deno.readDirSync("/"))`,
      ]
    ) refused(await py(code));
    for (
      const code of [
        `await Deno.readTextFile(${JSON.stringify(secret)})`,
        `await import(${JSON.stringify(`file://${secret}`)})`,
        `await import("file:///etc/hostname")`,
        `Deno.writeTextFileSync("/tmp/tocode-escape.txt", "x")`,
        `[...Deno.readDirSync("/")]`,
      ]
    ) refused(await js(code));
    const written = await py(`open("/tmp/tocode-escape.txt", "w").write("x")`);
    assert.equal(written.status, "ok", "writes land in Pyodide's in-memory file system");
    await assert.rejects(() => Deno.stat("/tmp/tocode-escape.txt"), "nothing reached the host");
    const listing = await py("import os\nsorted(os.listdir('/'))");
    assert.ok(
      !listing.stdout.includes("'work'") && !listing.stdout.includes("'usr'"),
      listing.stdout,
    );
    await stillWorks();
  });

  await t.step("network, environment, processes and native code are refused", async () => {
    for (
      const code of [
        "import socket\nsocket.create_connection(('127.0.0.1', 80), timeout=1)",
        "import urllib.request\nurllib.request.urlopen('http://127.0.0.1:9/')",
        "import js\njs.Deno.env.toObject()",
        "import subprocess\nsubprocess.run(['ls'])",
        "import ctypes\nctypes.CDLL('libc.so.6')",
        "import js\njs.Deno.dlopen('libc.so.6', {})",
      ]
    ) refused(await py(code));
    const system = await py("import os\nos.system('touch /tmp/tocode-system')");
    assert.ok(system.status !== "ok" || system.stdout.trim() !== "0", JSON.stringify(system));
    await assert.rejects(() => Deno.stat("/tmp/tocode-system"));
    const env = await py("import os\nos.environ.get('HOME', 'none')");
    assert.ok(!env.stdout.includes(Deno.env.get("HOME") ?? "\u0000"), "no host environment");
    for (
      const code of [
        "await fetch('http://127.0.0.1:9/')",
        "new WebSocket('ws://127.0.0.1:9/')",
        "Deno.env.get('HOME')",
        "new Deno.Command('ls').outputSync()",
        "Deno.dlopen('libc.so.6', {})",
      ]
    ) refused(await js(code));
    await stillWorks();
  });

  await t.step("JS cells cannot reach the host or other sessions through globals", async () => {
    await js(
      "globalThis.console = null; Object.prototype.polluted = 'yes'; Array.prototype.push = null",
      "evil",
    );
    assert.equal(
      (await js("({}).polluted + ' ' + typeof [].push", "clean")).stdout,
      "undefined function\n",
    );
    refused(await js("new Worker('data:text/javascript,1')"));
    refused(await js("Deno.stdin.readSync(new Uint8Array(10))"));
    await stillWorks();
  });

  await t.step("runaway code: loops, sleeps, memory, floods, recursion, stdin", async () => {
    await py("pass", "loop"); // the interpreter is up: the wall time below is the cell's
    const started = performance.now();
    const loop = await sandbox.exec("while True: pass", { session: "loop", timeoutMs: 500 });
    assert.equal(loop.status, "timeout");
    assert.ok(performance.now() - started < 500 + 1000);
    assert.equal(
      (await sandbox.exec("import time\ntime.sleep(30)", { timeoutMs: 500 })).status,
      "timeout",
    );
    assert.equal(
      (await sandbox.exec("while(true){}", { language: "javascript", timeoutMs: 500 })).status,
      "timeout",
    );
    assert.equal((await py("x = [0] * (10**9)")).status, "limit");
    const flood = await sandbox.exec("for i in range(10**5): print('flood', i)", {
      timeoutMs: 30_000,
    });
    assert.equal(flood.truncated, true, JSON.stringify(flood).slice(0, 300));
    assert.ok(flood.stdout.endsWith("…[output truncated]"));
    assert.ok(flood.stdout.length < 500);
    assert.match((await py("def f(n): return f(n + 1)\nf(0)")).error ?? "", /^RecursionError/);
    assert.match((await js("function f(n) { return f(n + 1) }; f(0)")).error ?? "", /^RangeError/);
    refused(await py("input()"));
    const floodJs = await js("while (true) console.log('flood')");
    assert.equal(floodJs.status, "timeout");
    await stillWorks();
  });

  await escapeSuite(t, sandbox, "pyodide");
  await stillWorks();
  await sandbox.close();
});
