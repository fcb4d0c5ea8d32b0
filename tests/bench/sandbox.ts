import { createSandbox, type Sandbox } from "../../lib/sandbox/mod.ts";
import { defineBench, percentiles } from "./harness.ts";

function rssMiB(pid: number): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
  } catch {
    return NaN;
  }
}

const totalRss = (sandbox: Sandbox) =>
  sandbox.pids("python").reduce((sum, pid) => sum + rssMiB(pid), 0);

// The system interpreter itself, not a version-manager shim that would slow the baseline down.
const PYTHON = ["/usr/bin/python3", "/usr/local/bin/python3"].find((p) => {
  try {
    return Deno.statSync(p).isFile;
  } catch {
    return false;
  }
}) ?? "python3";

/** Sessions the warm workload spreads over (each has its interpreter up before timing). */
const WARM_SESSIONS = 16;
/** Time for the spare interpreters to start after the warm sessions took theirs. */
const SETTLE_MS = 5000;

export default defineBench({
  name: "sandbox",
  description:
    "print(1+1) on the default pool (2 workers): warm sessions, new sessions, cold start, timeout; vs `python3 -c` per exec",
  async run() {
    let start = performance.now();
    const sandbox = createSandbox();
    await sandbox.start("python");
    const coldStartMs = performance.now() - start;
    const idleRss = totalRss(sandbox);

    // Warm: every session's interpreter is up; the figure the TIR loop sees after a trajectory's
    // first cell.
    const sessions = Array.from({ length: WARM_SESSIONS }, (_, i) => `warm-${i}`);
    await Promise.all(sessions.map((session) => sandbox.exec("print(1+1)", { session })));
    const perSessionMiB = (totalRss(sandbox) - idleRss) / WARM_SESSIONS;
    // The workers refill their spare interpreters behind these first cells; let them finish, so
    // the warm figures are the cells' own.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    for (let i = 0; i < 100; i++) await sandbox.exec("print(1+1)", { session: sessions[i % 4] });
    const sequential: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await sandbox.exec("print(1+1)", { session: sessions[i % 4] });
      sequential.push(performance.now() - t);
    }
    const n = 2000;
    start = performance.now();
    await Promise.all(
      Array.from(
        { length: n },
        (_, i) => sandbox.exec("print(1+1)", { session: sessions[i % WARM_SESSIONS] }),
      ),
    );
    const warmRate = n / ((performance.now() - start) / 1000);
    for (const session of sessions) sandbox.endSession(session);

    // New sessions: each cell starts an interpreter (from the spares, refilled behind).
    const fresh = 40;
    start = performance.now();
    await Promise.all(
      Array.from({ length: fresh }, (_, i) => sandbox.exec("print(1+1)", { session: `new-${i}` })),
    );
    const freshRate = fresh / ((performance.now() - start) / 1000);
    for (let i = 0; i < fresh; i++) sandbox.endSession(`new-${i}`);

    const memory = sandbox.pids("python").map(rssMiB);
    await sandbox.exec("pass", { session: "loop" });
    start = performance.now();
    const timedOut = await sandbox.exec("while True: pass", { session: "loop", timeoutMs: 1000 });
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
    const workers = memory.length;
    return {
      table: [
        ["executor", "p50 ms", "p99 ms", "execs/s"],
        [`${workers} Pyodide workers, warm sessions`, lat.p50, lat.p99, Math.round(warmRate)],
        [
          `${workers} Pyodide workers, a new session per exec`,
          "-",
          "-",
          Number(freshRate.toFixed(1)),
        ],
        [
          "python3 -c per exec (baseline)",
          naiveLat.p50,
          naiveLat.p99,
          Number(naiveRate.toFixed(1)),
        ],
      ],
      notes: [
        `pool start (snapshot made, spares up): ${coldStartMs.toFixed(0)} ms`,
        `a 1000 ms timeout returned after ${
          timeoutReturnMs.toFixed(0)
        } ms (status ${timedOut.status})`,
        `resident memory per live session: ${
          perSessionMiB.toFixed(0)
        } MiB; worker RSS after the run: ${memory.map((r) => `${r.toFixed(0)} MiB`).join(", ")}`,
      ],
      figures: {
        warm_execs_per_s: Math.round(warmRate),
        new_session_execs_per_s: Number(freshRate.toFixed(1)),
        naive_execs_per_s: Number(naiveRate.toFixed(1)),
        p50_ms: Number(lat.p50.toFixed(2)),
        p99_ms: Number(lat.p99.toFixed(2)),
        cold_start_ms: Math.round(coldStartMs),
        timeout_return_ms: Math.round(timeoutReturnMs),
        session_rss_mib: Math.round(perSessionMiB),
        worker_rss_mib: Math.round(Math.max(...memory)),
      },
    };
  },
});
