import assert from "node:assert/strict";
import { join } from "node:path";
import { demoPlans, rolloutsPerIteration } from "../lib/em/mod.ts";

const main = new URL("../tasks/main.ts", import.meta.url).pathname;
const base = new URL("../models/tocode-base/onnx/model.onnx", import.meta.url).pathname;
const hasBase = (() => {
  try {
    return Deno.statSync(base).isFile;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "`deno task demo --quick` prints its table per iteration and leaves the report",
  ignore: !hasBase,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "tocode-demo-" });
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        main,
        "demo",
        "--quick",
        "--db",
        join(dir, "tocode.duckdb"),
        "--run-id",
        "smoke",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    for (const method of ["base", "autocode", "grpo", "sft"]) {
      assert.match(stdout, new RegExp(`^${method}\\s+\\d`, "m"), `${method} row`);
    }
    const levels = stdout.slice(stdout.indexOf("code rate (accuracy) by level"));
    assert.match(levels, /^method\s+level \d/m, "the table by level follows");
    assert.match(levels, /^autocode\s+\d+\.\d%/m, "with the last autocode model's row");
    // The last line is one JSON object: each method's figures at its last iteration.
    const last = JSON.parse(stdout.trimEnd().split("\n").at(-1)!);
    assert.equal(last.demo, "smoke");
    assert.equal(last.seed, 1);
    assert.deepEqual(Object.keys(last.methods), ["base", "autocode", "grpo", "sft"]);
    for (const [method, m] of Object.entries(last.methods) as [string, Record<string, unknown>][]) {
      assert.deepEqual(Object.keys(m).sort(), [
        "accuracy",
        "code_rate",
        "code_rate_code_ref",
        "code_rate_text_ref",
        "rollouts",
        "selection_accuracy",
      ], method);
      assert.ok(typeof m.accuracy === "number" && m.accuracy >= 0 && m.accuracy <= 1, method);
      const spent = rolloutsPerIteration(demoPlans.quick) * demoPlans.quick.iterations;
      assert.equal(m.rollouts, method === "base" ? 0 : spent, method);
    }
    const report = stdout.match(/^report: (.+)$/m)?.[1];
    assert.ok(report, "the report path is printed");
    const html = await Deno.readTextFile(report);
    assert.ok((html.match(/<svg/g)?.length ?? 0) >= 3, "the report has its charts");
  },
});
