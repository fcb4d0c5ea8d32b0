import { loadDataset } from "../../datasets/mod.ts";
import assert from "node:assert/strict";
import { seededRandom } from "../data/seeded_random.ts";
import { normalizeAnswer } from "./normalize.ts";
import { differentCases, equalCases } from "./_cases.ts";
import { compileLatex, numericEqual } from "./numeric.ts";
import { parseStructure } from "./structure.ts";
import { symbolicEqual } from "./symbolic.ts";
import { perturb, semanticRewrite } from "../../tests/fixtures/answer_rewrites.ts";

function value(text: string, env: Record<string, number> = {}) {
  const f = compileLatex(text);
  assert.ok(f, `compiles: ${text}`);
  return f.evaluate(env);
}

Deno.test("compileLatex() evaluates fractions, roots, powers, π and implicit products", () => {
  assert.equal(value("\\frac{3}{4}").re, 0.75);
  assert.ok(Math.abs(value("2\\sqrt{3}").re - 2 * Math.sqrt(3)) < 1e-15);
  assert.ok(Math.abs(value("\\frac{5\\pi^2}{4}").re - 5 * Math.PI ** 2 / 4) < 1e-12);
  assert.equal(value("(a+5)(b+2)", { a: 1, b: 2 }).re, 24);
  assert.equal(value("3R^2", { R: 2 }).re, 12);
  assert.equal(value("-x^2", { x: 3 }).re, -9, "the sign applies to the power");
  assert.equal(value("2^{10}").re, 1024);
  assert.equal(value("5!").re, 120);
  assert.equal(value("6\\cdot7").re, 42);
  assert.equal(value("1--2").re, 3);
  assert.ok(
    Math.abs(value("\\sin^2 x", { x: 0.3 }).re - Math.sin(0.3) ** 2) < 1e-15,
    "power of sin",
  );
  assert.ok(Math.abs(value("\\cos^{2}(x)", { x: 0.3 }).re - Math.cos(0.3) ** 2) < 1e-15);
});

Deno.test("compileLatex() does complex arithmetic with i", () => {
  assert.deepEqual(value("6-5i"), { re: 6, im: -5 });
  assert.deepEqual(value("i^2"), { re: -1, im: 0 });
  const z = value("e^{i\\pi}");
  assert.ok(Math.abs(z.re + 1) < 1e-15 && Math.abs(z.im) < 1e-15);
  assert.deepEqual(value("\\sqrt{-4}"), { re: value("\\sqrt{-4}").re, im: 2 });
});

Deno.test("compileLatex() marks decimals as approximate and lists variables", () => {
  assert.equal(compileLatex("0.866")!.approximate, true);
  assert.equal(compileLatex("\\frac{\\sqrt{3}}{2}")!.approximate, false);
  assert.deepEqual(compileLatex("\\frac{11+9a}{20}+b")!.variables, ["a", "b"]);
  assert.deepEqual(compileLatex("\\pi e i")!.variables, [], "π, e and i are constants");
});

Deno.test("compileLatex() refuses what could be read more than one way or it cannot do", () => {
  for (
    const text of [
      "a/bc", // a/(bc) or (a/b)c
      "x^23", // x^2·3 in LaTeX
      "\\sin xy", // sin(x)y or sin(xy)
      "\\sin 2x",
      "\\sin^{-1} x", // the inverse, not a power
      "\\sqrt[3]{8}",
      "\\log_2 8",
      "12345678901234567", // beyond float integers
      "\\infty",
      "1\\pm2",
      "x_1",
      "\\frac{1}{",
      "2^3^4",
      "",
    ]
  ) {
    assert.equal(compileLatex(text), undefined, text);
  }
});

Deno.test("numericEqual() decides by value, and defers where floats cannot tell", () => {
  assert.equal(numericEqual("\\sqrt{2}", "\\frac{99}{70}", { tolerance: 1e-4 })?.equal, false);
  assert.equal(numericEqual("\\frac{\\sqrt{3}}{2}", "0.866", { tolerance: 1e-4 })?.equal, true);
  assert.equal(numericEqual("\\frac{\\sqrt{3}}{2}", "0.866", { tolerance: 1e-6 })?.equal, false);
  assert.equal(
    numericEqual("(x-1)(x^4+x^2+1)", "x^5-x^4+x^3-x^2+x-1", { tolerance: 1e-4 })?.equal,
    true,
  );
  assert.equal(numericEqual("x^2", "y^2", { tolerance: 1e-4 }), undefined, "variables differ");
  assert.equal(numericEqual("2^{60}", "2^{60}+1", { tolerance: 1e-4 }), undefined, "too big");
  assert.equal(numericEqual("\\sqrt{2}\\sqrt{2}-2", "0", { tolerance: 1e-4 }), undefined);
  assert.equal(
    numericEqual("\\frac{1}{2004!}", "\\frac{1}{2006!}", { tolerance: 1e-4 }),
    undefined,
  );
  // Between "equal" and clearly different: left to the algebra library.
  assert.equal(numericEqual("\\sqrt{2}", "\\frac{665857}{470832}", { tolerance: 1e-4 }), undefined);
});

Deno.test("numericEqual() agrees with the compute engine on every MATH500 pair it decides", async () => {
  const answers = (await loadDataset("math500")).problems
    .map((p) => p.answer)
    .filter((a) => parseStructure(normalizeAnswer(a)).kind === "scalar" && !/^-?\d+$/.test(a));
  const pairs = [
    ...answers.flatMap((a, i) =>
      [semanticRewrite(a), perturb(a), answers[(i + 1) % answers.length]]
        .filter((p): p is string => p !== undefined)
        .map((p) => [a, p])
    ),
    ...[...Object.values(equalCases), ...Object.values(differentCases)].flat(),
  ].map(([a, p]) => [normalizeAnswer(a), normalizeAnswer(p)] as const);
  let decided = 0;
  const disagreements = [];
  for (const [g, p] of pairs) {
    const fast = numericEqual(g, p, { tolerance: 1e-4 });
    if (!fast) continue;
    decided++;
    const slow = symbolicEqual(g, p, { tolerance: 1e-4 });
    if (slow.equal !== fast.equal) disagreements.push([g, p, fast.reason, slow.reason]);
  }
  assert.deepEqual(disagreements, []);
  assert.ok(decided > 200, `${decided} of ${pairs.length} decided`);
});

Deno.test("numericEqual() agrees with the compute engine on random expressions", () => {
  const random = seededRandom(7);
  const pick = <T>(items: T[]) => items[Math.floor(random.next() * items.length)];
  const atoms = ["1", "2", "7", "\\pi", "x", "y", "i", "e", "\\sqrt{2}", "\\sqrt{3}", "0.5"];
  const expression = (depth: number): string => {
    if (depth === 0 || random.next() < 0.25) return pick(atoms);
    const a = expression(depth - 1);
    const b = expression(depth - 1);
    return pick([
      `${a}+${b}`,
      `${a}-${b}`,
      `(${a})(${b})`,
      `${a}\\cdot ${b}`,
      `\\frac{${a}}{${b}}`,
      `(${a})^{2}`,
      `(${a})^{${b}}`,
      `\\sqrt{${a}}`,
      `-${a}`,
      `${a}/${b}`,
      `\\sin(${a})`,
      `2${a}`,
      `(${a})!`,
    ]);
  };
  let decided = 0;
  const disagreements = [];
  for (let k = 0; k < 400; k++) {
    const g = normalizeAnswer(expression(3));
    const p = normalizeAnswer(
      random.next() < 0.5 ? expression(3) : pick([`1\\cdot(${g})`, `${g}+1`, `2(${g})/2`]),
    );
    const fast = numericEqual(g, p, { tolerance: 1e-4 });
    if (!fast) continue;
    decided++;
    const slow = symbolicEqual(g, p, { tolerance: 1e-4 });
    if (slow.equal !== fast.equal) disagreements.push([g, p, fast.reason, slow.reason]);
  }
  assert.deepEqual(disagreements, []);
  assert.ok(decided > 150, `${decided} of 400 decided`);
});
