import assert from "node:assert/strict";
import { createSandbox } from "./sandbox.ts";

Deno.test("a worker that says nothing fails its cells as errors, not timeouts, and is replaced", async () => {
  const sandbox = createSandbox({ workers: 1, hostSilenceMs: 1500 });
  try {
    assert.equal((await sandbox.exec("print(1)", { session: "a" })).stdout, "1\n");
    const [pid] = sandbox.pids("python");
    // A host that hangs: stopped, it answers nothing, not even its cells' timeouts.
    Deno.kill(pid, "SIGSTOP");
    await assert.rejects(
      sandbox.exec("print(2)", { session: "a", timeoutMs: 500 }),
      /Cannot run the cell: the python worker said nothing for 2 s and was ended/,
    );
    // The dead worker is replaced: the next cell runs on a fresh one.
    const next = await sandbox.exec("print(3)", { session: "b" });
    assert.equal(next.stdout, "3\n");
    assert.notEqual(sandbox.pids("python")[0], pid);
  } finally {
    await sandbox.close();
  }
});

Deno.test("a cell queued behind a busy host waits while the host keeps answering", async () => {
  // One worker runs one cell at a time: the last of 5 cells of 0.8 s answers about 4 s after it
  // was sent, past its timeout plus the silence limit (2.5 s), yet the host was never silent.
  const sandbox = createSandbox({ workers: 1, hostSilenceMs: 1000 });
  try {
    await sandbox.start("python");
    const cells = Array.from(
      { length: 5 },
      (_, i) => sandbox.exec(`import time\ntime.sleep(0.8)\nprint(${i})`, { timeoutMs: 1500 }),
    );
    const results = await Promise.all(cells);
    assert.deepEqual(
      results.map((r) => [r.status, r.stdout]),
      [0, 1, 2, 3, 4].map((i) => ["ok", `${i}\n`]),
    );
  } finally {
    await sandbox.close();
  }
});
