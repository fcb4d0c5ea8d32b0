import assert from "node:assert/strict";
import { join } from "node:path";

const main = new URL("../tasks/main.ts", import.meta.url).pathname;

async function exec(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, "exec", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

Deno.test("`deno task exec --cells` runs a JSONL file of cells in order, one result line each", async () => {
  const dir = await Deno.makeTempDir();
  const cells = join(dir, "cells.jsonl");
  const rows = [
    { session: "a", code: "import math\nmath.pi = 3" },
    { session: "b", code: "import math\nmath.pi" },
    { session: "a", code: "math.pi" },
    { code: "math.pi" },
    { session: "j", lang: "javascript", code: "let v = await Promise.resolve(6); v" },
    { session: "j", lang: "javascript", code: "v * 7" },
  ];
  await Deno.writeTextFile(cells, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const { code, stdout, stderr } = await exec(["--cells", cells, "--workers", "2"]);
  assert.equal(code, 0, stderr);
  const results = stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(results.map((r) => r.line), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(results.map((r) => r.session ?? null), ["a", "b", "a", null, "j", "j"]);
  assert.deepEqual(results.map((r) => r.stdout), [
    "",
    "3.141592653589793\n",
    "3\n",
    "",
    "6\n",
    "42\n",
  ]);
  assert.match(results[3].error, /^NameError/, "a cell without a session starts fresh");
});

Deno.test("`deno task exec --cells` refuses a bad line with its number", async () => {
  const dir = await Deno.makeTempDir();
  const cells = join(dir, "bad.jsonl");
  await Deno.writeTextFile(cells, '{"code": "1"}\n{"session": "a"}\n');
  const { code, stderr } = await exec(["--cells", cells]);
  assert.notEqual(code, 0);
  assert.match(stderr, /Cannot read cells: line 2 is not a \{session, lang, code\} cell: "code"/);
});
