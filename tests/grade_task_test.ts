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

const pairsDir = new URL("./fixtures/grade_pairs/", import.meta.url).pathname;

interface Pair {
  gold: string;
  pred: string;
  expected: boolean;
  rule?: string;
}

/** Every pair file, graded in one `deno task grade --extract --file` run. */
async function gradePairFiles() {
  const classes: { name: string; pairs: Pair[] }[] = [];
  for await (const entry of Deno.readDir(pairsDir)) {
    if (!entry.name.endsWith(".jsonl")) continue;
    const text = await Deno.readTextFile(join(pairsDir, entry.name));
    const pairs = text.trim().split("\n").map((line) => JSON.parse(line) as Pair);
    classes.push({ name: entry.name.replace(/\.jsonl$/, ""), pairs });
  }
  classes.sort((a, b) => a.name.localeCompare(b.name));
  const all = classes.flatMap((c) => c.pairs);
  const file = join(await Deno.makeTempDir(), "pairs.jsonl");
  await Deno.writeTextFile(file, all.map((p) => JSON.stringify(p)).join("\n") + "\n");
  const { code, stdout, stderr } = await grade(["--extract", "--file", file]);
  assert.equal(code, 0, stderr);
  const verdicts = stdout.trim().split("\n").map((l) => JSON.parse(l) as { equal: boolean });
  assert.equal(verdicts.length, all.length);
  let at = 0;
  return classes.map((c) => ({
    ...c,
    verdicts: c.pairs.map(() => verdicts[at++]),
  }));
}

Deno.test("`deno task grade --extract --file` agrees with the peers' verdicts on every failure class (>= 0.95, <= 1% false positives)", async () => {
  const graded = await gradePairFiles();
  const peer = graded.filter((c) => c.pairs.every((p) => p.rule === undefined));
  assert.ok(peer.length >= 10, `${peer.length} classes`);
  let pairs = 0;
  let agree = 0;
  let falsePositives = 0;
  const misses: string[] = [];
  for (const c of peer) {
    // Each class holds both verdicts, so that a grader that says always yes (or no) fails it.
    assert.ok(c.pairs.some((p) => p.expected) && c.pairs.some((p) => !p.expected), c.name);
    c.pairs.forEach((p, i) => {
      const equal = c.verdicts[i].equal;
      pairs++;
      if (equal === p.expected) agree++;
      else misses.push(`${c.name}: ${p.gold} | ${p.pred} -> ${equal}`);
      if (equal && !p.expected) falsePositives++;
    });
  }
  assert.ok(agree / pairs >= 0.95, `agreement ${agree}/${pairs}:\n${misses.join("\n")}`);
  assert.ok(falsePositives / pairs <= 0.01, `false positives ${falsePositives}/${pairs}`);
});

Deno.test("`deno task grade --extract` compares a decimal gold at its stated precision", async () => {
  const stated = (await gradePairFiles()).find((c) => c.name === "gold_stated_precision")!;
  assert.deepEqual(stated.verdicts.map((v) => v.equal), stated.pairs.map((p) => p.expected));
});

Deno.test("`deno task grade --extract` extracts both sides and shows both answers", async () => {
  const solution = "The share is $\\frac{35}{100}$ of the whole, that is $\\boxed{35\\%}$.";
  const { code, stdout } = await grade([
    "--gold",
    solution,
    "--pred",
    "It is 35 percent.",
    "--extract",
  ]);
  assert.equal(code, 0);
  const v = JSON.parse(stdout);
  assert.deepEqual([v.equal, v.gold_answer, v.answer], [true, "35\\%", "35%"]);
});

Deno.test("the commands of docs/grading.md run as written", async () => {
  const root = new URL("../", import.meta.url).pathname;
  const doc = await Deno.readTextFile(join(root, "docs/grading.md"));
  const block = doc.match(/```sh\n([\s\S]*?)```/)![1];
  const commands = block.split("\n").filter((l) => l.startsWith("deno task grade"))
    .map((l) => l.replace(/\s+#.*$/, ""));
  assert.equal(commands.length, 3);
  for (const command of commands) {
    const out = await new Deno.Command("sh", { args: ["-c", command], cwd: root, stdout: "piped" })
      .output();
    assert.equal(out.code, 0, command);
    const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
    assert.ok(lines.every((l) => typeof JSON.parse(l).equal === "boolean"), command);
    assert.ok(lines.some((l) => JSON.parse(l).equal), command);
  }
});
