import assert from "node:assert/strict";
import { join } from "node:path";

const main = new URL("../tasks/main.ts", import.meta.url).pathname;

async function grade(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, "grade", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

Deno.test("`deno task grade --gold --pred` prints one JSON verdict with both normalised forms", async () => {
  const { code, stdout } = await grade([
    "--gold",
    "\\left( 3, \\frac{\\pi}{2} \\right)",
    "--pred",
    "(3,\\frac{\\pi}{2})",
  ]);
  assert.equal(code, 0);
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 1);
  assert.deepEqual(JSON.parse(lines[0]), {
    equal: true,
    reason: "exact match after normalisation",
    gold_norm: "(3,\\frac{\\pi}{2})",
    pred_norm: "(3,\\frac{\\pi}{2})",
  });
});

Deno.test("`deno task grade --file` grades every line in order; a bad line gets an error, not a crash", async () => {
  const file = join(await Deno.makeTempDir(), "pairs.jsonl");
  const rows = [
    JSON.stringify({ gold: "\\frac{1}{2004!}", pred: "\\frac{1}{2006!}" }),
    "not json",
    JSON.stringify({ gold: "x^2+2x+1", pred: "(x+1)^2" }),
    JSON.stringify({ gold: "1" }),
    "",
    JSON.stringify({ gold: "025", pred: "25" }),
  ];
  await Deno.writeTextFile(file, rows.join("\n") + "\n");
  const { code, stdout } = await grade(["--file", file]);
  assert.equal(code, 0);
  const out = stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(out.map((o) => o.line), [1, 2, 3, 4, 6]);
  assert.deepEqual(out.map((o) => o.equal), [false, undefined, true, undefined, true]);
  assert.match(out[1].error, /^Cannot grade: .*line 2\)$/);
  assert.match(out[3].error, /needs string fields "gold" and "pred"/);
});

Deno.test("`deno task grade --extract` grades the answer extracted from a completion", async () => {
  const completion = "<think>is it 3?</think>We get $\\boxed{\\dfrac{1}{2}}$.";
  const { code, stdout } = await grade(["--gold", "0.5", "--pred", completion, "--extract"]);
  assert.equal(code, 0);
  const v = JSON.parse(stdout);
  assert.equal(v.equal, true);
  assert.equal(v.answer, "\\dfrac{1}{2}");
});

Deno.test("`deno task grade` refuses --gold without --pred", async () => {
  const { code, stderr } = await grade(["--gold", "1"]);
  assert.equal(code, 2);
  assert.match(stderr, /Cannot grade: --gold and --pred go together/);
});
