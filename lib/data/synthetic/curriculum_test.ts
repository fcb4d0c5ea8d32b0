import assert from "node:assert/strict";
import type { Problem } from "../problem.ts";
import { createSandbox } from "../../sandbox/mod.ts";
import { arithmeticClaims } from "./_arith_claims.ts";
import { generateSynthetic } from "./generate.ts";
import { SKILL_NAMES } from "./skills/mod.ts";
import { limits } from "./solutions.ts";

const LEVELS = [1, 2, 3, 4, 5];

/** About `perCell` problems of every (skill, level) cell: the generator takes cells in turns. */
function sample(perCell: number, seed: number): Problem[] {
  const size = perCell * SKILL_NAMES.length * LEVELS.length;
  return generateSynthetic({ split: "train", size, seed });
}

const tir = (p: Problem) => String(p.metadata.tir_solution);
const text = (p: Problem) => String(p.metadata.text_solution);
const codeOf = (p: Problem) => tir(p).match(/^```python\n([\s\S]*?)\n```\n/)![1];
const outputOf = (p: Problem) => tir(p).match(/```output\n([\s\S]*?)```\n/)![1];

// -S skips site imports: the code needs only the standard library, and starts twice as fast.
async function python(code: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command("python3", { args: ["-S", "-c", code], stdin: "null" })
    .output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

async function mapPool<T, R>(items: T[], width: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await f(items[i]);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

Deno.test("every skill and level's TIR code, run by python3, prints its output block and the gold answer", async () => {
  const problems = sample(2, 11);
  const cells = new Map<string, number>();
  for (const p of problems) {
    const cell = `${p.metadata.skill} ${p.metadata.level}`;
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
  }
  assert.deepEqual([...new Set(cells.values())], [2]);
  assert.equal(cells.size, SKILL_NAMES.length * LEVELS.length);
  const runs = await mapPool(problems, 4, (p) => python(codeOf(p)));
  for (const [i, p] of problems.entries()) {
    assert.equal(runs[i].code, 0, `${p.problem}: ${runs[i].stderr}`);
    assert.equal(runs[i].stdout, outputOf(p), p.problem);
    assert.equal(runs[i].stdout, `${p.answer}\n`, p.problem);
  }
});

Deno.test("TIR code run in the project's Python sandbox prints the same output", async () => {
  const problems = sample(1, 12);
  const sandbox = createSandbox({ workers: 2 });
  try {
    const results = await Promise.all(
      problems.map((p) => sandbox.exec(codeOf(p), { timeoutMs: 30_000 })),
    );
    for (const [i, p] of problems.entries()) {
      assert.equal(results[i].status, "ok", `${p.problem}: ${results[i].error}`);
      assert.equal(results[i].stdout, outputOf(p), p.problem);
    }
  } finally {
    await sandbox.close();
  }
});

Deno.test("every text solution ends in the boxed gold answer and every arithmetic claim in it holds", () => {
  const problems = sample(20, 13);
  const checkedPerCell = new Map<string, number>();
  for (const p of problems) {
    const t = text(p);
    assert.ok(t.endsWith(`\nThe answer is \\boxed{${p.answer}}.`), `${p.id}: ${t}`);
    assert.equal(t.split("\\boxed{").length, 2, `one boxed answer: ${t}`);
    assert.ok(tir(p).endsWith(`\n\`\`\`\nThe answer is \\boxed{${p.answer}}.`), tir(p));
    const claims = arithmeticClaims(t);
    for (const claim of claims) {
      assert.ok(claim.values.every((v) => v === claim.values[0]), `${claim.clause} in ${t}`);
    }
    const cell = `${p.metadata.skill} ${p.metadata.level}`;
    checkedPerCell.set(cell, (checkedPerCell.get(cell) ?? 0) + claims.length);
  }
  // The check bites: at levels 1-3, where solutions are worked out, every cell makes claims.
  for (const skill of SKILL_NAMES.filter((s) => !ONE_FACT_SKILLS.includes(s))) {
    for (const level of [1, 2, 3]) {
      assert.ok((checkedPerCell.get(`${skill} ${level}`) ?? 0) > 0, `${skill} ${level}`);
    }
  }
});

// Skills whose text step is one fact about a repeated long number (docs/curriculum.md).
const ONE_FACT_SKILLS = [
  "cancel_factor",
  "cancel_sum",
  "remainder_of_multiple",
  "quotient_of_multiple",
  "equation_cancel",
  "equation_sum",
];

Deno.test("one-fact skills: the text copies only the short answer, the program copies the long number twice", () => {
  const problems = sample(20, 15).filter((p) => ONE_FACT_SKILLS.includes(String(p.metadata.skill)));
  assert.equal(problems.length, 20 * 5 * ONE_FACT_SKILLS.length);
  for (const p of problems) {
    const numbers = p.problem.match(/\d+/g)!;
    const long = numbers.find((n) => numbers.filter((x) => x === n).length === 2)!;
    assert.ok(long, `one number appears twice: ${p.problem}`);
    assert.equal(codeOf(p).match(/\d+/g)!.filter((x) => x === long).length, 2, codeOf(p));
    const textNumbers = text(p).match(/\d+/g)!;
    assert.ok(
      textNumbers.every((x) => x === p.answer),
      `the text copies only the answer: ${text(p)}`,
    );
    assert.ok(p.answer.length <= 3, p.answer);
  }
  const longest = Math.max(
    ...problems.filter((p) => p.metadata.level === 5).map((p) =>
      p.problem.match(/\d{10,}/)![0].length
    ),
  );
  assert.ok(longest >= 25, `level 5 numbers reach 25+ digits (${longest})`);
});

Deno.test("problems and solutions are printable ASCII within the length budgets", () => {
  const printable = /^[\x20-\x7e\n]*$/;
  for (const p of sample(40, 14)) {
    for (const s of [p.problem, text(p), tir(p)]) assert.match(s, printable);
    assert.ok(p.problem.length <= limits.problem, p.problem);
    assert.ok(text(p).length <= limits.text, text(p));
    assert.ok(tir(p).length <= limits.tir, tir(p));
    assert.match(p.answer, /^\d+$/);
  }
});

Deno.test("the copy drill repeats the problem's number in both solutions and stays out of the curriculum", async () => {
  const drill = generateSynthetic({ split: "train", size: 50, seed: 2, skills: ["copy"] });
  for (const p of drill) {
    const n = p.problem.match(/^Repeat the number (\d+)\.$/)![1];
    assert.equal(p.answer, n);
    assert.equal(text(p), `The number is ${n}.\nThe answer is \\boxed{${n}}.`);
    assert.equal(codeOf(p), `print(${n})`);
    assert.equal(outputOf(p), `${n}\n`);
  }
  const run = await python(codeOf(drill[0]));
  assert.equal(run.stdout, `${drill[0].answer}\n`);
  const digits = drill.map((p) => p.answer.length);
  assert.ok(Math.min(...digits) <= 2 && Math.max(...digits) >= 10, `${digits}`);
  assert.ok(sample(4, 3).every((p) => p.metadata.skill !== "copy"));
});
