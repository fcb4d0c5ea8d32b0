import { loadDataset } from "../datasets/mod.ts";
/**
 * Runs every command the README shows, as written, except the two set-up commands (CI runs the
 * tests itself; the demo is the main job). `vllm serve MODEL --port P` is played by the vLLM
 * stand-in on that port; everything else runs in a shell, in a scratch folder of the checkout,
 * with a home folder that holds the tokenizer the README names.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { shBlocks } from "./fixtures/doc_commands.ts";
import { type Standin, startVllmStandin, writeQwenTokenizer } from "./fixtures/vllm_standin.ts";

const ROOT = new URL("..", import.meta.url).pathname;

Deno.test("every command in the README runs as written", async () => {
  const blocks = shBlocks(await Deno.readTextFile(join(ROOT, "README.md")));
  const setUp = blocks.findIndex((b) => b.some((c) => c.startsWith("npm i -g deno@")));
  assert.deepEqual(blocks[setUp].map((c) => c.split(" ").at(-1)), ["demo", "ok"]);
  const commands = blocks.filter((_, i) => i !== setUp).flat();
  assert.ok(commands.some((c) => c.startsWith("vllm serve")), "the README shows the vLLM server");

  const scratch = join(ROOT, "runs", `readme-${crypto.randomUUID().slice(0, 8)}`);
  const home = join(scratch, "home");
  await writeQwenTokenizer(join(home, "models", "Qwen2.5-Math-7B-Instruct"));
  const answers = new Map<string, string>();
  for (const name of ["math500", "aime24", "math_pool"]) {
    for (const p of (await loadDataset(name)).problems) answers.set(p.problem, p.answer);
  }
  const servers: Standin[] = [];
  try {
    for (const command of commands) {
      const serve = /^vllm serve (\S+) .*--port (\d+)/.exec(command);
      if (serve) {
        servers.push(
          await startVllmStandin({
            model: serve[1],
            port: Number(serve[2]),
            hostname: "localhost",
            tokenizerDir: join(home, "models", "Qwen2.5-Math-7B-Instruct"),
            answers,
          }),
        );
        continue;
      }
      assert.match(command, /^deno task /, `a README command this test does not know: ${command}`);
      const out = await new Deno.Command("bash", {
        args: ["-c", command],
        cwd: scratch,
        env: { HOME: home, INIT_CWD: scratch },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, `${command}\n${stderr}`);
    }
    // The model behind the stand-in answers every problem right; the runs must say so.
    for (const run of ["qwen-math500", "qwen-aime24-tir", "qwen-aime24-local"]) {
      const summary = JSON.parse(
        await Deno.readTextFile(join(scratch, "runs", `${run}.summary.json`)),
      );
      const all = summary.groups.find((g: { group: string }) => g.group === "all");
      assert.equal(all.errors, 0, run);
      assert.equal(all.accuracy.mean, 1, `${run}: ${all.accuracy.mean}`);
    }
    const samples = await Deno.readTextFile(join(scratch, "runs", "qwen-math500.samples.jsonl"));
    assert.equal(samples.trim().split("\n").length, 530);
    await Deno.stat(join(scratch, "curated.parquet"));
    await Deno.stat(join(scratch, "accuracy.csv"));
  } finally {
    for (const server of servers) await server.close();
    await Deno.remove(scratch, { recursive: true });
  }
});
