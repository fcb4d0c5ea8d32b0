import { loadDataset } from "../datasets/mod.ts";
/**
 * Runs the commands docs/export.md shows in its ```sh blocks, as written, in a scratch folder of
 * the checkout: `vllm serve MODEL --port P` is played by the vLLM stand-in, whose scripted model
 * answers even-numbered problems right only with a program and odd-numbered ones only in text, so
 * the E-step draws both modes. The trainers' own commands (```bash blocks) run elsewhere.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../lib/store/mod.ts";
import { shBlocks } from "./fixtures/doc_commands.ts";
import { type Standin, startVllmStandin, writeQwenTokenizer } from "./fixtures/vllm_standin.ts";

const ROOT = new URL("..", import.meta.url).pathname;

Deno.test("every command docs/export.md shows runs as written and writes what it names", async () => {
  const commands = shBlocks(await Deno.readTextFile(join(ROOT, "docs", "export.md"))).flat();
  assert.ok(commands.some((c) => c.startsWith("vllm serve")), "the doc starts a server");
  const scratch = join(ROOT, "runs", `export-docs-${crypto.randomUUID().slice(0, 8)}`);
  const servers: Standin[] = [];
  try {
    await Deno.mkdir(scratch, { recursive: true });
    const tokenizer = await writeQwenTokenizer(join(scratch, "tokenizer"));
    const answers = new Map<string, string>();
    for (const name of ["math_pool", "math500"]) {
      for (const p of (await loadDataset(name)).problems) answers.set(p.problem, p.answer);
    }
    const order = new Map([...answers.keys()].map((problem, i) => [problem, i]));
    for (const command of commands) {
      const serve = /^vllm serve (\S+) .*--port (\d+)/.exec(command);
      if (serve) {
        servers.push(
          await startVllmStandin({
            model: serve[1],
            port: Number(serve[2]),
            hostname: "localhost",
            tokenizerDir: tokenizer,
            answers,
            answersCorrectly: (problem, way) =>
              (order.get(problem)! % 2 === 0) === (way === "code"),
          }),
        );
        continue;
      }
      assert.match(command, /^deno task /, `a command this test does not know: ${command}`);
      const out = await new Deno.Command("bash", {
        args: ["-c", command],
        cwd: scratch,
        // A user types these in the scratch folder: that is where their paths point, even when
        // this test itself runs under a `deno task` (which would pass its own INIT_CWD on).
        env: { INIT_CWD: scratch },
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(out.code, 0, `${command}\n${new TextDecoder().decode(out.stderr)}`);
    }
    const reader = await openStore(":memory:");
    try {
      for (const out of commands.flatMap((c) => /--(?:export|out) (\S+)/.exec(c)?.[1] ?? [])) {
        const path = join(scratch, out);
        const from = out.endsWith(".parquet") ? `read_parquet('${path}')` : `read_json('${path}')`;
        const [{ n }] = await reader.query<{ n: number }>(`SELECT count(*)::INT AS n FROM ${from}`);
        assert.ok(n > 0, `${out} has rows`);
      }
      const [{ modes }] = await reader.query<{ modes: string[] }>(
        `SELECT list(DISTINCT extra_info.mode ORDER BY extra_info.mode) AS modes
         FROM read_parquet('${join(scratch, "verl-rl.parquet")}')`,
      );
      assert.deepEqual(modes, ["code", "text"], "the E-step drew both modes");
    } finally {
      reader.close();
    }
  } finally {
    for (const server of servers) await server.close();
    await Deno.remove(scratch, { recursive: true });
  }
});
