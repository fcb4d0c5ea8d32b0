import assert from "node:assert/strict";
import { Problem } from "../problem.ts";
import { seededRandom } from "../seeded_random.ts";
import { generateSynthetic } from "./generate.ts";
import {
  additionItem,
  gcdItem,
  multiplicationItem,
  remainderItem,
  SKILL_NAMES,
  skills,
} from "./skills/mod.ts";
import { type Split, splitOf } from "./split.ts";

Deno.test("generateSynthetic() gives the same problems for the same seed and others for another", () => {
  const a = generateSynthetic({ split: "train", size: 200, seed: 3 });
  assert.deepEqual(a, generateSynthetic({ split: "train", size: 200, seed: 3 }));
  const b = generateSynthetic({ split: "train", size: 200, seed: 4 });
  const shared = b.filter((p) => a.some((q) => q.problem === p.problem));
  // Only a few easy problems from small cells can repeat.
  assert.ok(shared.length < 20, `${shared.length} shared`);
  assert.notDeepEqual(
    generateSynthetic({ split: "test", size: 50, seed: 1 }).map((p) => p.problem),
    generateSynthetic({ split: "test", size: 50, seed: 2 }).map((p) => p.problem),
  );
});

Deno.test("train, dev and test are disjoint by problem text whatever the seeds", () => {
  const texts = (split: Split, seeds: number[], size: number) =>
    new Set(
      seeds.flatMap((seed) => generateSynthetic({ split, size, seed }).map((p) => p.problem)),
    );
  const train = texts("train", [0, 1, 2], 2000);
  const dev = texts("dev", [0, 1, 2, 3], 300);
  const test = texts("test", [0, 1, 2, 3], 300);
  assert.ok(train.size > 3000 && dev.size > 500 && test.size > 500);
  for (const t of test) assert.ok(!train.has(t) && !dev.has(t), t);
  for (const d of dev) assert.ok(!train.has(d), d);
});

Deno.test("splitOf() sends 80/10/10 of keys to train/dev/test, and 8 * 7 lands where 7 * 8 does", () => {
  const counts = { train: 0, dev: 0, test: 0 };
  for (let i = 0; i < 10_000; i++) counts[splitOf(`key ${i}`)]++;
  assert.ok(counts.train > 7700 && counts.train < 8300, JSON.stringify(counts));
  assert.ok(counts.dev > 850 && counts.test > 850, JSON.stringify(counts));
  assert.equal(multiplicationItem(7n, 8n).key, multiplicationItem(8n, 7n).key);
  assert.equal(additionItem(123n, 45n).key, additionItem(45n, 123n).key);
  assert.equal(gcdItem(84n, 36n).key, gcdItem(36n, 84n).key);
  assert.notEqual(remainderItem(47n, 5n).key, remainderItem(5n, 47n).key);
  // The generator keeps only problems whose key hashes to the asked split.
  const random = seededRandom(5);
  const tests = new Set(
    generateSynthetic({ split: "test", size: 40, seed: 5, skills: ["addition"], levels: [2] })
      .map((p) => p.problem),
  );
  let seen = 0;
  for (let i = 0; i < 2000; i++) {
    const item = skills.addition.draw(2, random);
    if (tests.has(item.problem)) {
      seen++;
      assert.equal(splitOf(item.key), "test");
    }
  }
  assert.ok(seen > 0);
});

Deno.test("rows match the Problem schema with ids, skill, level, split and both solutions", () => {
  const problems = generateSynthetic({ split: "dev", size: 120, seed: 9 });
  assert.equal(problems.length, 120);
  for (const [i, p] of problems.entries()) {
    Problem.parse(p);
    assert.equal(p.id, `syn-dev-${String(i).padStart(6, "0")}`);
    assert.equal(p.source, "synthetic");
    assert.equal(p.metadata.split, "dev");
    assert.ok(SKILL_NAMES.includes(String(p.metadata.skill)));
    assert.ok([1, 2, 3, 4, 5].includes(Number(p.metadata.level)));
    assert.ok(String(p.metadata.text_solution).length > 0);
    assert.ok(String(p.metadata.tir_solution).startsWith("```python\n"));
  }
  assert.equal(new Set(problems.map((p) => p.problem)).size, 120);
});

Deno.test("cells take turns, so any prefix is balanced over skills and levels", () => {
  // Two full rounds of the (skill, level) cells.
  const size = 2 * SKILL_NAMES.length * 5;
  const problems = generateSynthetic({ split: "train", size, seed: 2 });
  const count = (key: string, value: unknown) =>
    problems.filter((p) => p.metadata[key] === value).length;
  for (const skill of SKILL_NAMES) assert.equal(count("skill", skill), 10, skill);
  for (const level of [1, 2, 3, 4, 5]) assert.equal(count("level", level), size / 5, `${level}`);
});

Deno.test("levels and skills options restrict the draw", () => {
  const problems = generateSynthetic({
    split: "train",
    size: 30,
    seed: 1,
    levels: [4, 5],
    skills: ["gcd", "binomial"],
  });
  assert.equal(problems.length, 30);
  for (const p of problems) {
    assert.ok([4, 5].includes(Number(p.metadata.level)));
    assert.ok(["gcd", "binomial"].includes(String(p.metadata.skill)));
  }
});

Deno.test("generateSynthetic() refuses bad options and a size beyond the distinct problems", () => {
  assert.throws(
    () => generateSynthetic({ split: "train", size: 5, skills: ["algebra"] }),
    /Cannot generate synthetic problems: unknown skill "algebra"/,
  );
  assert.throws(
    () => generateSynthetic({ split: "train", size: 5, levels: [6] }),
    /levels must be integers 1-5/,
  );
  assert.throws(
    () => generateSynthetic({ split: "valid" as Split, size: 5 }),
    /split must be train, dev or test/,
  );
  assert.throws(() => generateSynthetic({ split: "dev", size: -1 }), /non-negative integer/);
  assert.throws(
    () => generateSynthetic({ split: "test", size: 200, skills: ["binomial"], levels: [1] }),
    /Cannot generate 200 synthetic test problems: only \d+ distinct ones exist/,
  );
  assert.deepEqual(generateSynthetic({ split: "test", size: 0 }), []);
});
