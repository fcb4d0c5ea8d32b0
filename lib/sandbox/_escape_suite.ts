/**
 * Escape attempts any Python backend must refuse, run against Pyodide (sandbox_test.ts) and native
 * (native_test.ts): host files and folders, the network, processes that outlive their cell, fork
 * floods, memory bombs, endless loops, writes outside /tmp, what one session may do to another,
 * and a worker killed from outside. After each, the host must still answer and a fresh session
 * must work. The pool has 2 Python workers.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Sandbox } from "./sandbox.ts";
import type { ExecResult } from "./types.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** Seconds a refused attack may take before its cell answers (floods, bombs). */
const ATTACK_TIMEOUT_MS = 3000;
/** How much later than its timeout a looping cell may come back (the bound). */
const TIMEOUT_SLACK_MS = 300;

function refused(result: ExecResult, what: string) {
  assert.notEqual(
    result.status,
    "ok",
    `${what}: expected a refusal, got ${JSON.stringify(result)}`,
  );
  assert.ok(result.error, `${what}: the refusal carries an error`);
  assert.doesNotMatch(result.error, /^SyntaxError/, `${what}: the cell reached the wall`);
}

/** Host processes whose command line holds the marker (processes a cell left running). */
function hostProcessesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      if (Deno.readTextFileSync(`/proc/${entry.name}/cmdline`).includes(marker)) {
        found.push(Number(entry.name));
      }
    } catch {
      // gone
    }
  }
  return found;
}

/** Runs every escape step against the sandbox (2 Python workers, started). */
export async function escapeSuite(
  t: Deno.TestContext,
  sandbox: Sandbox,
  backend: "pyodide" | "native",
): Promise<void> {
  let fresh = 0;
  const py = (code: string, session?: string, timeoutMs = ATTACK_TIMEOUT_MS) =>
    sandbox.exec(code, { session, timeoutMs });
  const stillWorks = async () => {
    const result = await py("print(40 + 2)", `fresh-${fresh++}`, 60_000);
    assert.equal(result.stdout, "42\n", JSON.stringify(result));
  };

  await t.step(
    `${backend}: 200 execs across the pool are all answered; a killed worker is replaced`,
    async () => {
      const cell = (code: string, session?: string) => sandbox.exec(code, { session });
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => cell(`print(${i} * 2)`, `many-${i % 20}`)),
      );
      assert.deepEqual(results.map((r) => r.stdout), results.map((_, i) => `${i * 2}\n`));
      const before = sandbox.stats.replaced;
      const [victim] = sandbox.pids("python");
      Deno.kill(victim, "SIGKILL");
      await new Promise((r) => setTimeout(r, 200));
      const after = await Promise.all(Array.from({ length: 6 }, (_, i) => cell(`print(${i})`)));
      assert.ok(after.some((r) => r.status === "ok"));
      assert.ok(after.every((r) => r.status === "ok" || r.status === "killed"));
      await stillWorks();
      assert.ok(sandbox.stats.replaced > before, "the killed worker was replaced");
      assert.equal(sandbox.pids("python").length, 2, "the pool never shrinks");
    },
  );

  await t.step(`${backend}: host files, $HOME and /proc/1 cannot be read`, async () => {
    const dir = await Deno.makeTempDir();
    const secret = join(dir, "secret.txt");
    await Deno.writeTextFile(secret, "host secret");
    const home = Deno.env.get("HOME") ?? "/root";
    for (
      const path of [secret, join(ROOT, "deno.json"), join(home, ".bashrc"), join(home, ".profile")]
    ) {
      const result = await py(`open(${JSON.stringify(path)}).read()`);
      assert.ok(!result.stdout.includes("host secret"), JSON.stringify(result));
      refused(result, `reading ${path}`);
    }
    const hostInit = Deno.readTextFileSync("/proc/1/cmdline");
    const init = await py("open('/proc/1/cmdline').read()");
    assert.ok(
      init.status !== "ok" || !init.stdout.includes(hostInit.split("\0")[0]),
      `/proc/1 is the host's init: ${JSON.stringify(init)}`,
    );
    const environ = await py("open('/proc/1/environ').read()");
    assert.ok(!environ.stdout.includes("PATH=" + Deno.env.get("PATH")), JSON.stringify(environ));
    await stillWorks();
  });

  await t.step(`${backend}: host folders cannot be listed`, async () => {
    for (const path of [ROOT, Deno.env.get("HOME") ?? "/root", "/etc", "/var"]) {
      const result = await py(`import os\nsorted(os.listdir(${JSON.stringify(path)}))`);
      if (result.status === "ok") {
        // /etc exists in both sandboxes: it must not be the host's
        assert.ok(!result.stdout.includes("passwd"), `${path}: ${result.stdout}`);
        assert.ok(!result.stdout.includes("'deno.json'"), `${path}: ${result.stdout}`);
      }
    }
    const root = await py("import os\nsorted(os.listdir('/'))");
    assert.equal(root.status, "ok");
    for (const name of ["root", "home", "work", "var", "srv", "opt"]) {
      if (name === "home" && backend === "pyodide") continue; // Pyodide's own /home/pyodide
      assert.ok(!root.stdout.includes(`'${name}'`), `/ shows ${name}: ${root.stdout}`);
    }
    await stillWorks();
  });

  await t.step(`${backend}: no socket reaches loopback or another address`, async () => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    let connected = false;
    listener.accept().then((conn) => {
      connected = true;
      conn.close();
    }, () => {});
    const port = (listener.addr as Deno.NetAddr).port;
    for (
      const target of [`("127.0.0.1", ${port})`, `("10.255.255.1", 80)`, `("1.1.1.1", 53)`]
    ) {
      refused(
        await py(`import socket\nsocket.create_connection(${target}, timeout=1)`),
        `connect ${target}`,
      );
    }
    const lookup = await py(`import socket\nsocket.gethostbyname("example.com")`);
    if (backend === "native") refused(lookup, "DNS");
    else {
      // Emscripten answers lookups itself with made-up addresses in 172.29.0.0/16: nothing is
      // asked of a resolver, and nothing connects to them.
      assert.match(lookup.stdout, /^'172\.29\.\d+\.\d+'\n$/, JSON.stringify(lookup));
      refused(
        await py(`import socket\nsocket.create_connection(("example.com", 80), timeout=1)`),
        "connect to a looked-up name",
      );
    }
    refused(
      await py(`import urllib.request\nurllib.request.urlopen("http://127.0.0.1:${port}/")`),
      "http",
    );
    await new Promise((r) => setTimeout(r, 100));
    listener.close();
    assert.equal(connected, false, "a cell reached a host loopback port");
    await stillWorks();
  });

  await t.step(`${backend}: nothing is written outside /tmp, nor to the host's /tmp`, async () => {
    const name = `tocode-escape-${crypto.randomUUID()}`;
    for (const path of ["/usr/x", "/x", "/dev/x", join(ROOT, name), `/etc/${name}`]) {
      const result = await py(`open(${JSON.stringify(path)}, "w").write("x")`);
      // Pyodide writes land in its in-memory file system; the native sandbox is read-only there.
      if (backend === "native") refused(result, `writing ${path}`);
      await assert.rejects(() => Deno.stat(path), `${path} appeared on the host`);
    }
    const inside = await py(`open("/tmp/${name}", "w").write("x")`);
    assert.equal(inside.status, "ok", "the sandbox's own /tmp is writable");
    await assert.rejects(() => Deno.stat(`/tmp/${name}`), "the write stayed in the sandbox");
    await stillWorks();
  });

  await t.step(`${backend}: the host's environment is not visible`, async () => {
    const result = await py("import os\nsorted(os.environ.items())");
    assert.equal(result.status, "ok");
    for (const name of ["HOME", "PATH", "USER"]) {
      const value = Deno.env.get(name);
      if (value && value.length > 4) {
        assert.ok(!result.stdout.includes(`'${value}'`), `${name} leaked: ${result.stdout}`);
      }
    }
  });

  await t.step(
    `${backend}: endless loops end at their timeout, within ${TIMEOUT_SLACK_MS} ms`,
    async () => {
      for (const code of ["while True: pass", "while True: print('flood')"]) {
        await py("pass", "loop"); // the interpreter is up: the time below is the cell's
        const started = performance.now();
        const result = await py(code, "loop", 1000);
        const wall = performance.now() - started;
        assert.equal(result.status, "timeout", JSON.stringify(result));
        assert.ok(result.durationMs < 1000 + TIMEOUT_SLACK_MS, `cell time ${result.durationMs} ms`);
        assert.ok(wall < 1000 + 1000, `round trip ${wall} ms`);
      }
      await stillWorks();
    },
  );

  await t.step(`${backend}: memory bombs end with status limit`, async () => {
    // 8 GiB does not fit Pyodide's 32-bit address space at all: it asks for 2 GiB.
    const bomb = backend === "native" ? "8 * 2**30" : "2 * 2**30 - 1";
    for (
      const code of [
        `x = bytearray(${bomb})`,
        "x = [0] * (10**9)",
        "blocks = []\nwhile True:\n    blocks.append(bytearray(2**26))",
      ]
    ) {
      const result = await py(code, undefined, 20_000);
      assert.equal(result.status, "limit", `${code}: ${JSON.stringify(result)}`);
    }
    await stillWorks();
  });

  await t.step(`${backend}: fork floods are bounded and leave nothing behind`, async () => {
    const marker = `tocode-flood-${crypto.randomUUID().slice(0, 8)}`;
    const bomb = await py(
      `import os\n${marker.replaceAll("-", "_")} = 1\nwhile True:\n    os.fork()`,
      undefined,
      2000,
    );
    assert.notEqual(bomb.status, "ok", JSON.stringify(bomb));
    const subprocesses = await py(
      `import subprocess\nps = [subprocess.Popen(["sleep", "60", "${marker}"]) for _ in range(500)]`,
      undefined,
      5000,
    );
    assert.notEqual(subprocesses.status, "ok", JSON.stringify(subprocesses));
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(hostProcessesWith(marker), [], "processes of the flood are still running");
    await stillWorks();
  });

  await t.step(`${backend}: a child process does not outlive its cell's timeout`, async () => {
    const marker = `tocode-survivor-${crypto.randomUUID().slice(0, 8)}`;
    const result = await py(
      `import os, subprocess\n` +
        `subprocess.Popen(["sleep", "60", "${marker}"], start_new_session=True)\n` +
        `if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        os.execv("/bin/sleep", ["sleep", "61", "${marker}"])\n    os._exit(0)\n` +
        `while True: pass`,
      "survivor",
      1000,
    );
    if (backend === "native") assert.equal(result.status, "timeout", JSON.stringify(result));
    else refused(result, "starting a process");
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(hostProcessesWith(marker), [], "a child of the cell survived it");
    const leftover = await py(
      `import subprocess\nsubprocess.Popen(["sleep", "60", "${marker}"])\n'started'`,
      "leftover",
    );
    if (backend === "native") assert.equal(leftover.stdout, "'started'\n");
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(hostProcessesWith(marker), [], "a process outlived the cell that started it");
    await stillWorks();
  });

  await t.step(`${backend}: sessions do not see or change each other`, async () => {
    await py(
      "import math, builtins\nmath.pi = 3\nbuiltins.abs = lambda x: 42\nsecret = 'mine'",
      "a",
    );
    await py("open('/tmp/shared.txt', 'w').write('from a')", "a");
    assert.equal((await py("import math\nmath.pi", "b")).stdout, "3.141592653589793\n");
    assert.equal((await py("abs(-1)", "b")).stdout, "1\n");
    assert.match((await py("secret", "b")).error ?? "", /^NameError/);
    const shared = await py("import os\nos.path.exists('/tmp/shared.txt')", "b");
    assert.equal(shared.stdout, "False\n", "a session's /tmp is its own");
    if (backend === "native") {
      const pids = await py(
        "import os\nsorted(int(p) for p in os.listdir('/proc') if p.isdigit())",
        "b",
      );
      assert.equal(pids.stdout, "[1, 2]\n", "a session sees only its own processes");
      const kill = await py(
        "import os, signal\nfor pid in range(1, 400):\n    try: os.kill(pid, signal.SIGKILL) if pid > 2 else None\n    except OSError: pass\n'done'",
        "b",
      );
      assert.equal(kill.stdout, "'done'\n");
      assert.equal((await py("secret", "a")).stdout, "'mine'\n", "session a lives on");
    }
    assert.equal((await py("import math\nmath.pi", "a")).stdout, "3\n", "a keeps its own state");
  });
}
