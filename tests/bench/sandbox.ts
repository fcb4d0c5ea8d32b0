import { createSandbox } from "../../lib/sandbox/mod.ts";
import { defineBench, percentiles } from "./harness.ts";

function rssMiB(pid: number): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
  } catch {
    return NaN;
  }
}

// The system interpreter itself, not a version-manager shim that would slow the baseline down.
const PYTHON = ["/usr/bin/python3", "/usr/local/bin/python3"].find((p) => {
  try {
    return Deno.statSync(p).isFile;
  } catch {
    return false;
  }
}) ?? "python3";

export default defineBench({
  name: "sandbox",
  description: "warm print(1+1): default pool vs spawning `python3 -c` per exec; timeout latency",
  async run() {
    const sandbox = createSandbox();
    await sandbox.start("python");
    for (let i = 0; i < 20; i++) await sandbox.exec("print(1+1)");

    const sequential: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await sandbox.exec("print(1+1)");
      sequential.push(performance.now() - t);
    }
    const n = 2000;
    let start = performance.now();
    await Promise.all(Array.from({ length: n }, () => sandbox.exec("print(1+1)")));
    const poolRate = n / ((performance.now() - start) / 1000);

    const memory = sandbox.pids("python").map(rssMiB);
    start = performance.now();
    const timedOut = await sandbox.exec("while True: pass", { timeoutMs: 1000 });
    const timeoutReturnMs = performance.now() - start;
    await sandbox.close();

    const naive: number[] = [];
    const m = 40;
    start = performance.now();
    for (let i = 0; i < m; i++) {
      const t = performance.now();
      await new Deno.Command(PYTHON, { args: ["-c", "print(1+1)"], stdout: "piped" }).output();
      naive.push(performance.now() - t);
    }
    const naiveRate = m / ((performance.now() - start) / 1000);
    const lat = percentiles(sequential);
    const naiveLat = percentiles(naive);
    return {
      table: [
        ["executor", "p50 ms", "p99 ms", "execs/s"],
        [`pool of ${memory.length} Pyodide workers`, lat.p50, lat.p99, Math.round(poolRate)],
        [
          "python3 -c per exec (baseline)",
          naiveLat.p50,
          naiveLat.p99,
          Number(naiveRate.toFixed(1)),
        ],
      ],
      notes: [
        `a 1000 ms timeout returned after ${
          timeoutReturnMs.toFixed(0)
        } ms (status ${timedOut.status})`,
        `worker RSS: ${memory.map((r) => `${r.toFixed(0)} MiB`).join(", ")}`,
      ],
      figures: {
        pool_execs_per_s: Math.round(poolRate),
        naive_execs_per_s: Number(naiveRate.toFixed(1)),
        ratio: Number((poolRate / naiveRate).toFixed(1)),
        p50_ms: Number(lat.p50.toFixed(2)),
        p99_ms: Number(lat.p99.toFixed(2)),
        timeout_return_ms: Math.round(timeoutReturnMs),
        worker_rss_mib: Math.round(Math.max(...memory)),
      },
    };
  },
});
