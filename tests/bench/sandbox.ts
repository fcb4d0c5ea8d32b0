import { type Backend, createSandbox, type Sandbox } from "../../lib/sandbox/mod.ts";
import { defineBench, percentiles } from "./harness.ts";

/** Proportional set size: shared pages (native sessions share the worker's) counted once. */
function pssMiB(pid: number): number {
  try {
    const rollup = Deno.readTextFileSync(`/proc/${pid}/smaps_rollup`);
    return Number(rollup.match(/^Pss:\s+(\d+)/m)?.[1] ?? 0) / 1024;
  } catch {
    return NaN;
  }
}

/** Memory of the workers and their descendants (native sessions are processes of their own). */
function treeMemory(roots: number[]): number {
  const children = new Map<number, number[]>();
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry.name)]);
    } catch {
      // gone
    }
  }
  let total = 0;
  const stack = [...roots];
  while (stack.length) {
    const pid = stack.pop()!;
    total += pssMiB(pid) || 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

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
const SOLVE = "import sympy as sp\nx = sp.symbols('x')\nsp.solve(x**3 - 6*x**2 + 11*x - 6, x)";

interface Figures {
  coldStartMs: number;
  warmRate: number;
  p50: number;
  p99: number;
  freshRate: number;
  solveFirstMs: number;
  solveWarmMs: number;
  sessionMiB: number;
  timeoutReturnMs: number;
}

async function measure(backend: Backend): Promise<Figures> {
  let start = performance.now();
  const sandbox: Sandbox = createSandbox({ backend });
  await sandbox.start("python");
  const coldStartMs = performance.now() - start;
  const idle = treeMemory(sandbox.pids("python"));

  const sessions = Array.from({ length: WARM_SESSIONS }, (_, i) => `warm-${i}`);
  await Promise.all(sessions.map((session) => sandbox.exec("print(1+1)", { session })));
  const sessionMiB = (treeMemory(sandbox.pids("python")) - idle) / WARM_SESSIONS;
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

  const fresh = 40;
  start = performance.now();
  await Promise.all(
    Array.from({ length: fresh }, (_, i) => sandbox.exec("print(1+1)", { session: `new-${i}` })),
  );
  const freshRate = fresh / ((performance.now() - start) / 1000);
  for (let i = 0; i < fresh; i++) sandbox.endSession(`new-${i}`);

  start = performance.now();
  const first = await sandbox.exec(SOLVE, { session: "solve", timeoutMs: 120_000 });
  const solveFirstMs = performance.now() - start;
  if (first.stdout !== "[1, 2, 3]\n") {
    throw new Error(`Cannot bench solve: ${JSON.stringify(first)}`);
  }
  const solves: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await sandbox.exec(SOLVE, { session: "solve" });
    solves.push(performance.now() - t);
  }

  await sandbox.exec("pass", { session: "loop" });
  start = performance.now();
  await sandbox.exec("while True: pass", { session: "loop", timeoutMs: 1000 });
  const timeoutReturnMs = performance.now() - start;
  await sandbox.close();
  const lat = percentiles(sequential);
  return {
    coldStartMs,
    warmRate,
    p50: lat.p50,
    p99: lat.p99,
    freshRate,
    solveFirstMs,
    solveWarmMs: percentiles(solves).p50,
    sessionMiB,
    timeoutReturnMs,
  };
}

export default defineBench({
  name: "sandbox",
  description:
    "Python cells on the default pool (2 workers), Pyodide and native side by side: warm print(1+1), new sessions, a sympy solve, cold start, timeout; vs `python3 -c` per exec",
  async run() {
    const pyodide = await measure("pyodide");
    const native = await measure("native");

    const naive: number[] = [];
    const m = 40;
    const start = performance.now();
    for (let i = 0; i < m; i++) {
      const t = performance.now();
      await new Deno.Command(PYTHON, { args: ["-c", "print(1+1)"], stdout: "piped" }).output();
      naive.push(performance.now() - t);
    }
    const naiveRate = m / ((performance.now() - start) / 1000);
    const naiveLat = percentiles(naive);
    const ms = (v: number) => Math.round(v);
    const row = (name: string, f: Figures) => [
      name,
      Math.round(f.warmRate),
      Number(f.p50.toFixed(2)),
      Number(f.p99.toFixed(2)),
      Number(f.freshRate.toFixed(1)),
      ms(f.solveFirstMs),
      Number(f.solveWarmMs.toFixed(1)),
      ms(f.coldStartMs),
      ms(f.sessionMiB),
    ];
    return {
      table: [
        [
          "backend",
          "warm execs/s",
          "p50 ms",
          "p99 ms",
          "new sessions/s",
          "solve, new session ms",
          "solve, warm ms",
          "cold start ms",
          "MiB/session",
        ],
        row("pyodide", pyodide),
        row("native (bubblewrap)", native),
        [
          "python3 -c per exec (baseline)",
          Number(naiveRate.toFixed(1)),
          naiveLat.p50,
          naiveLat.p99,
          "-",
          "-",
          "-",
          "-",
          "-",
        ],
      ],
      notes: [
        `a 1000 ms timeout returned after ${ms(pyodide.timeoutReturnMs)} ms (pyodide), ${
          ms(native.timeoutReturnMs)
        } ms (native)`,
        "cold start: createSandbox() to both workers ready (pyodide: snapshot from the cache; native: numpy and sympy imported)",
      ],
      figures: {
        pyodide_warm_execs_per_s: Math.round(pyodide.warmRate),
        native_warm_execs_per_s: Math.round(native.warmRate),
        pyodide_p50_ms: Number(pyodide.p50.toFixed(2)),
        native_p50_ms: Number(native.p50.toFixed(2)),
        pyodide_new_sessions_per_s: Number(pyodide.freshRate.toFixed(1)),
        native_new_sessions_per_s: Number(native.freshRate.toFixed(1)),
        pyodide_solve_first_ms: ms(pyodide.solveFirstMs),
        native_solve_first_ms: ms(native.solveFirstMs),
        pyodide_solve_warm_ms: Number(pyodide.solveWarmMs.toFixed(1)),
        native_solve_warm_ms: Number(native.solveWarmMs.toFixed(1)),
        pyodide_cold_start_ms: ms(pyodide.coldStartMs),
        native_cold_start_ms: ms(native.coldStartMs),
        pyodide_session_mib: ms(pyodide.sessionMiB),
        native_session_mib: ms(native.sessionMiB),
        pyodide_timeout_return_ms: ms(pyodide.timeoutReturnMs),
        native_timeout_return_ms: ms(native.timeoutReturnMs),
        naive_execs_per_s: Number(naiveRate.toFixed(1)),
      },
    };
  },
});
