/**
 * The sandbox's walls between a cell and everything else: the network (through imports), work
 * that outlives its cell, memory outside the JS heap, other sessions, later runs, and the channel
 * that carries the answers. Each step is an attack a model-written cell could make.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createSandbox, type Sandbox } from "./sandbox.ts";
import type { ExecResult } from "./types.ts";

const ROOT = new URL("../../", import.meta.url);

function refused(result: ExecResult, pattern?: RegExp) {
  assert.notEqual(result.status, "ok", `expected a refusal, got ${JSON.stringify(result)}`);
  assert.ok(result.error, "the refusal carries an error");
  if (pattern) assert.match(result.error, pattern);
}

const PERMISSION = /Requires import access|NotCapable|PermissionDenied|Requires (read|net) access/;

/** Imports from hosts on Deno's default allow-list, as JS cells and as Python through `js`. */
const REMOTE_IMPORTS = {
  javascript: [
    `import("https://esm.sh/zod")`,
    `import("https://deno.land/std/path/mod.ts")`,
    `import("jsr:@std/path")`,
  ],
  python: [`import js\nawait js.eval('import("https://esm.sh/zod")')`],
};

/** Runs the remote imports in a fresh pool and returns their results (the probe's output). */
export async function probeRemoteImports(sandbox: Sandbox): Promise<ExecResult[]> {
  const results: ExecResult[] = [];
  for (const code of REMOTE_IMPORTS.javascript) {
    results.push(await sandbox.exec(code, { language: "javascript", timeoutMs: 20_000 }));
  }
  for (const code of REMOTE_IMPORTS.python) {
    results.push(await sandbox.exec(code, { timeoutMs: 20_000 }));
  }
  return results;
}

const canUnshare = (() => {
  try {
    return new Deno.Command("unshare", { args: ["-rn", "true"], stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
})();

Deno.test("sandbox walls: network, leftover work, memory, sessions, runs, channel", async (t) => {
  const sandbox = createSandbox({ workers: 1, timeoutMs: 5000, memoryMiB: 512 });
  const py = (code: string, session?: string, timeoutMs?: number) =>
    sandbox.exec(code, { session, timeoutMs });
  const js = (code: string, session?: string, timeoutMs?: number) =>
    sandbox.exec(code, { language: "javascript", session, timeoutMs });
  const stillWorks = async () => {
    assert.equal((await py("print(40 + 2)", "check")).stdout, "42\n");
    assert.equal((await js("console.log(40 + 2)", "check")).stdout, "42\n");
  };

  await t.step("an import from an allow-listed host fails on permission, not on DNS", async () => {
    let results: ExecResult[];
    if (canUnshare) {
      // In a network namespace of its own: nothing can leave the machine even if a wall fails.
      const probe = `
        import { createSandbox } from "./lib/sandbox/mod.ts";
        import { probeRemoteImports } from "./lib/sandbox/isolation_test.ts";
        const sandbox = createSandbox({ workers: 1 });
        console.log(JSON.stringify(await probeRemoteImports(sandbox)));
        await sandbox.close();
      `;
      const out = await new Deno.Command("unshare", {
        args: ["-rn", Deno.execPath(), "eval", "--ext=ts", probe],
        cwd: ROOT,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout);
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
      results = JSON.parse(text.trim().split("\n").at(-1)!);
    } else {
      results = await probeRemoteImports(sandbox);
    }
    assert.equal(results.length, 4);
    for (const result of results) {
      refused(result, PERMISSION);
      assert.doesNotMatch(result.error!, /dns|lookup|resolve|connect|sending request/i);
    }
  });

  await t.step(
    "npm: and file: imports and node built-ins that start work are refused",
    async () => {
      refused(await js(`import("npm:zod")`));
      refused(await js(`import("file:///etc/hostname")`), PERMISSION);
      for (const name of ["worker_threads", "child_process", "v8", "inspector", "cluster"]) {
        refused(await js(`import("node:${name}")`));
      }
      for (const name of ["worker_threads", "v8", "inspector", "cluster"]) {
        refused(await py(`import js\nawait js.eval('import("node:${name}")')`));
      }
      refused(
        await py(`import js\n(await js.eval('import("node:module")')).createRequire("/")("v8")`),
      );
      // Pyodide's own child_process (for os.system) runs nothing.
      refused(
        await py(`import js\n(await js.eval('import("node:child_process")')).execSync("true")`),
      );
      refused(await py(`import os\nos.system("true")`));
      refused(await js(`process.getBuiltinModule("worker_threads")`));
      refused(await js(`new Worker("data:text/javascript,1")`));
      refused(await js(`Deno[Deno.internal].core.ops`));
      await stillWorks();
    },
  );

  await t.step("no timer or task of a cell runs after the cell answered", async () => {
    await js(
      "globalThis.ticks = 0; setInterval(() => ticks++, 1); setTimeout(() => ticks += 1000, 50)",
      "jt",
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await js("ticks", "jt")).stdout, "0\n", "JS timers were cleared with their cell");
    await py(
      "import js\njs.eval('globalThis.pyticks = 0; setInterval(() => pyticks++, 1)')\n" +
        "import asyncio\nstate = {'n': 0}\nasync def tick():\n    while True:\n        state['n'] += 1\n        await asyncio.sleep(0.001)\n" +
        "asyncio.ensure_future(tick())",
      "pt",
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await py("import js\n(int(js.pyticks), state['n'])", "pt")).stdout, "(0, 0)\n");
    await stillWorks();
  });

  await t.step("ArrayBuffers count against the memory cap", async () => {
    const jsBomb = await js(
      "globalThis.keep = []; for (let i = 0; i < 4; i++) keep.push(new Uint8Array(256 * 2 ** 20).fill(1)); keep.length",
      "jb",
    );
    assert.equal(jsBomb.status, "limit", JSON.stringify(jsBomb));
    const pyBomb = await py(
      "import js\nkeep = []\nfor i in range(4):\n    keep.append(js.Uint8Array.new(256 * 2 ** 20).fill(1))\nlen(keep)",
      "pb",
    );
    assert.equal(pyBomb.status, "limit", JSON.stringify(pyBomb));
    await stillWorks();
  });

  // The next two steps poison an interpreter on purpose: each gets a pool of its own.
  await t.step("a session cannot change what another session's code does", async () => {
    const sandbox = createSandbox({ workers: 1 });
    const py = (code: string, session?: string) => sandbox.exec(code, { session });
    const js = (code: string, session?: string) =>
      sandbox.exec(code, { language: "javascript", session });
    await py("import math, builtins\nmath.pi = 3\nbuiltins.abs = lambda x: 42", "evil");
    await py(
      "import __main__, sys\n__main__.eval_code = lambda *a, **k: print('forged')\n" +
        "for m in list(sys.modules.values()):\n    if hasattr(m, 'eval_code'):\n        m.eval_code = __main__.eval_code\n" +
        "    if hasattr(m, 'CodeRunner'):\n        m.CodeRunner = None",
      "evil",
    );
    assert.equal((await py("import math\nmath.pi", "victim")).stdout, "3.141592653589793\n");
    assert.equal((await py("abs(-1)", "victim")).stdout, "1\n");
    assert.equal((await py("print(2 + 2)", "victim")).stdout, "4\n");
    assert.equal((await py("abs(-1)")).stdout, "1\n", "a cell without a session starts clean");
    await js("Array.prototype.push = null; globalThis.console = null", "evil");
    assert.equal(
      (await js("const a = []; a.push(1); console.log(a.length)", "victim")).stdout,
      "1\n",
    );
    await sandbox.close();
  });

  await t.step("a session that breaks its interpreter loses no other session's state", async () => {
    const sandbox = createSandbox({ workers: 1 });
    const py = (code: string, session?: string) => sandbox.exec(code, { session });
    await py("kept = 'still here'", "bystander");
    const deep = await py(
      "import sys\nsys.setrecursionlimit(10**6)\ndef f(n): return f(n + 1)\nf(0)",
      "reckless",
    );
    assert.notEqual(deep.status, "ok");
    assert.equal((await py("kept", "bystander")).stdout, "'still here'\n");
    await sandbox.close();
  });

  await t.step("nothing a cell writes to the process's stdout reaches the answers", async () => {
    // fd 1 without a newline: the protocol that shared stdout lost the next answer.
    const jsWrite = await js(`Deno.stdout.writeSync(new TextEncoder().encode("no newline")); 1`);
    assert.notEqual(jsWrite.status, "timeout", JSON.stringify(jsWrite));
    const pyWrite = await py("import js\njs.process.stdout.write('no newline')\nprint('answered')");
    assert.notEqual(pyWrite.status, "timeout", JSON.stringify(pyWrite));
    assert.equal((await js("console.log('next')")).stdout, "next\n");
    const partial = await py(
      "import js\nfs = await js.eval('import(\"node:fs\")')\nfs.writeSync(1, 'no newline')\nprint('answered')",
      "w1",
    );
    assert.equal(partial.stdout, "answered\n", JSON.stringify(partial));
    refused(await js(`Deno.stdout.writeSync(new TextEncoder().encode("no newline"))`, "w2"));
    refused(await js(`process.stdout.write("no newline")`, "w2"));
    refused(await js(`process.stdin.on("data", () => {})`, "w3"));
    assert.equal((await py("print('next')", "w4")).stdout, "next\n");
    await py("pass", "w5"); // the session's interpreter is up: the wall time below is the cell's
    const before = Deno.memoryUsage().rss;
    const started = performance.now();
    const flood = await py(
      "import js\nfs = await js.eval('import(\"node:fs\")')\nblock = 'x' * 65536\nwhile True:\n    fs.writeSync(1, block)",
      "w5",
      1000,
    );
    assert.equal(flood.status, "timeout");
    assert.ok(performance.now() - started < 1000 + 1500, "the timeout was honoured");
    assert.ok(Deno.memoryUsage().rss - before < 200 * 2 ** 20, "the pool did not buffer the flood");
    await stillWorks();
  });

  await t.step("JS cells accept top-level await; host reads fail on permission", async () => {
    assert.equal((await js("await Promise.resolve(41) + 1")).stdout, "42\n");
    const secret = join(await Deno.makeTempDir(), "secret.txt");
    await Deno.writeTextFile(secret, "host secret");
    const read = await js(`await Deno.readTextFile(${JSON.stringify(secret)})`);
    refused(read, PERMISSION);
    refused(await js(`await import(${JSON.stringify(`file://${secret}`)})`), PERMISSION);
  });

  await sandbox.close();

  await t.step("no web storage or cache outlives a run", async () => {
    const first = createSandbox({ workers: 1 });
    await first.exec(`import js\njs.localStorage.setItem("left", "behind")`);
    await first.exec(`localStorage.setItem("left", "behind")`, { language: "javascript" });
    const cached = await first.exec(
      `caches.open("c").then((c) => c.put("https://x/", new Response("x")))`,
      { language: "javascript" },
    );
    refused(cached);
    await first.close();
    const second = createSandbox({ workers: 1 });
    const fromPython = await second.exec(`import js\njs.localStorage.getItem("left")`);
    const fromJs = await second.exec(`localStorage.getItem("left")`, { language: "javascript" });
    await second.close();
    for (const read of [fromPython, fromJs]) {
      assert.ok(!read.stdout.includes("behind"), JSON.stringify(read));
    }
  });
});
