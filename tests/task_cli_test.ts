import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../lib/store/mod.ts";
import { tasks } from "../tasks/mod.ts";
import { readLines } from "./_lines.ts";
import { runTask } from "./_run_task.ts";

const main = new URL("../tasks/main.ts", import.meta.url).pathname;
const root = new URL("..", import.meta.url).pathname;
const runMain = (args: string[]) => runTask(args);

/** `deno task …` exactly as a user types it, with deno.json's permissions. */
async function denoTask(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", ...args],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

Deno.test("`deno task help` lists every task with its description", async () => {
  const { code, stdout, stderr } = await denoTask(["help"]);
  assert.equal(code, 0, stderr);
  for (const task of tasks) {
    assert.match(stdout, new RegExp(`^  ${task.name}\\s+${escape(task.description)}$`, "m"));
  }
});

Deno.test("every task's --help, run as `deno task NAME --help`, prints its flags", async () => {
  for (const task of tasks) {
    const { code, stdout, stderr } = await denoTask([task.name, "--help"]);
    assert.equal(code, 0, `${task.name}: ${stderr}`);
    assert.match(stdout, new RegExp(`^Usage: deno task ${task.name} \\[flags\\]`), task.name);
    assert.match(stdout, /--config <file>/);
  }
});

Deno.test("`deno task eval --preset qwen25-math --help` shows the preset's values", async () => {
  const { code, stdout } = await denoTask(["eval", "--preset", "qwen25-math", "--help"]);
  assert.equal(code, 0);
  const line = (flag: string) => stdout.split("\n").find((l) => l.trimStart().startsWith(flag));
  assert.match(line("--prompt-template")!, /\(preset: "tool-integrated"\)/);
  assert.match(line("--temperature")!, /\(preset: 0\)/);
  assert.match(line("--max-tokens-per-call")!, /\(preset: 2048\)/);
  assert.match(line("--max-code-calls")!, /\(preset: 4\)/);
  assert.match(line("--exec-semantics")!, /\(preset: "qwen"\)/);
  assert.match(line("--max-error-rate")!, /\(default: 0\.05\)/, "flags the preset leaves alone");
  const plain = await denoTask(["eval", "--help"]);
  assert.match(plain.stdout, /--temperature <number>\s+.*\(default: 0\.7\)/);
  const bad = await denoTask(["eval", "--preset", "nope", "--help"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--preset expects one of qwen25-math, got "nope"/);
});

Deno.test("a negative number gets the flag's own error, not the parser's", async () => {
  const { code, stderr } = await runMain(["eval", "--model", "x", "--limit", "-1"]);
  assert.equal(code, 2);
  assert.equal(stderr.trim(), "eval: Cannot parse arguments: --limit expects a value > 0, got -1");
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

Deno.test("a bad flag exits with code 2 and one line naming the flag", async () => {
  const { code, stderr } = await runMain(["help", "--verbose"]);
  assert.equal(code, 2);
  assert.equal(stderr.trim(), "help: Cannot parse arguments: unknown flag --verbose (see --help)");
  const unknownTask = await runMain(["nope"]);
  assert.equal(unknownTask.code, 2);
  assert.match(unknownTask.stderr, /Cannot run task "nope": no such task/);
});

Deno.test("--help prints the flags generated from the schema", async () => {
  const { code, stdout } = await runMain(["help", "--help"]);
  assert.equal(code, 0);
  assert.match(stdout, /^Usage: deno task help \[flags\]/);
  assert.match(stdout, /--config <file>/);
});

Deno.test("Ctrl-C stops new work, flushes, and keeps every finished row", async () => {
  const db = join(await Deno.makeTempDir(), "int.duckdb");
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./fixtures/interruptible_task.ts", import.meta.url).pathname,
      "--db",
      db,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let wrote = 0;
  let signalled = false;
  for await (const line of readLines(child.stdout)) {
    wrote = Number(line.split(" ")[1]);
    if (wrote >= 50 && !signalled) {
      child.kill("SIGINT");
      signalled = true;
    }
  }
  const status = await child.status;
  const stderr = new TextDecoder().decode(
    (await new Response(child.stderr).arrayBuffer()) as ArrayBuffer,
  );
  assert.equal(status.code, 130);
  assert.match(stderr, /stopping after the work in flight/);
  const store = await openStore(db);
  const [{ n }] = await store.query<{ n: number }>("SELECT count(*)::INT AS n FROM rollouts");
  const [run] = await store.query<{ status: string }>("SELECT status FROM runs");
  store.close();
  assert.equal(n, wrote, "every row the task reported was kept");
  assert.equal(run.status, "interrupted");
});

Deno.test("`deno task export` writes a query of the store to Parquet and reports the rows", async () => {
  const dir = await Deno.makeTempDir();
  const db = join(dir, "s.duckdb");
  const store = await openStore(db);
  await store.run("INSERT INTO runs (id, task, status) VALUES ('a', 'eval', 'finished')");
  store.close();
  const out = join(dir, "runs.parquet");
  const { code, stdout } = await runMain([
    "export",
    "--db",
    db,
    "--query",
    "SELECT id FROM runs",
    "--out",
    out,
  ]);
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(stdout), { out, rows: 1 });
  const check = await openStore(":memory:");
  const rows = await check.query(`SELECT id FROM read_parquet('${out}')`);
  check.close();
  assert.deepEqual(rows, [{ id: "a" }]);
});

Deno.test("`deno task exec` runs stdin in the sandbox and prints one JSON line", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, "exec", "--timeout-ms", "20000"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode("x = 6\nx * 7\n"));
  await writer.close();
  const out = await child.output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const result = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.equal(result.status, "ok");
  assert.equal(result.stdout, "42\n");
  const js = await runMain(["exec", "--lang", "javascript", "--code", "throw new Error('boom')"]);
  assert.equal(JSON.parse(js.stdout).error, "Error: boom");
});
