import assert from "node:assert/strict";
import { join } from "node:path";
import { nativeSandboxWorks } from "./fixtures/native_sandbox.ts";
import { openStore } from "../lib/store/mod.ts";

const main = new URL("../tasks/main.ts", import.meta.url).pathname;
const model = new URL("../models/tocode-base", import.meta.url).pathname;
const dataDir = Deno.env.get("TOCODE_DATA") ??
  new URL("../../shared/datasets", import.meta.url).pathname;

Deno.test({
  name: "eval of the committed model on the synthetic split: --sandbox native gives pyodide's rows",
  ignore: !nativeSandboxWorks,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "tocode-eval-native-" });
    const db = join(dir, "runs.duckdb");
    for (
      const [run, extra] of [
        ["pyodide", ["--sandbox", "pyodide"]],
        ["native", ["--sandbox", "native"]],
        ["qwen", ["--sandbox", "native", "--exec-semantics", "qwen"]],
      ]
    ) {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          main,
          "eval",
          "--model",
          model,
          "--dataset",
          "synthetic",
          "--limit",
          "24",
          "--mode",
          "code",
          "--seed",
          "7",
          "--db",
          db,
          ...extra,
          "--run-id",
          run as string,
        ],
        env: { TOCODE_DATA: dataDir },
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    }
    const store = await openStore(db);
    const rows = async (run: string) =>
      await store.query<{ problem_id: string; completion: string; code_calls: number }>(
        `SELECT problem_id, sample_idx, completion, answer, correct, code_calls FROM rollouts
         WHERE run_id = $1 ORDER BY problem_id, sample_idx`,
        [run],
      );
    const pyodide = await rows("pyodide");
    const native = await rows("native");
    const args = await store.query<{ id: string; args: string }>(
      `SELECT id, args::VARCHAR AS args FROM runs ORDER BY id`,
    );
    const qwen = await rows("qwen");
    store.close();
    assert.equal(pyodide.length, 24);
    assert.ok(
      pyodide.some((r) => Number(r.code_calls) > 0),
      "code ran",
    );
    assert.deepEqual(native, pyodide);
    const recorded = Object.fromEntries(args.map((r) => [r.id, JSON.parse(r.args)]));
    assert.equal(recorded.native.sandbox, "native", "the backend is recorded with the run");
    assert.equal(recorded.qwen.execSemantics, "qwen");
    assert.equal(qwen.length, 24, "an eval runs under Qwen2.5-Math's executor semantics too");
  },
});
