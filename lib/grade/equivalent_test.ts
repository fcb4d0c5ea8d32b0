import assert from "node:assert/strict";
import { differentCases, equalCases } from "./_cases.ts";
import { isEquivalent, NeedsSymbolic } from "./equivalent.ts";

for (const [shape, cases] of Object.entries(equalCases)) {
  Deno.test(`isEquivalent() grades equal answers of shape "${shape}" equal`, () => {
    for (const [gold, pred] of cases) {
      const v = isEquivalent(gold, pred);
      assert.ok(v.equal, `${gold} ~ ${pred}: ${v.reason} (${v.gold_norm} vs ${v.pred_norm})`);
      assert.ok(v.reason.length > 0);
    }
  });
}

for (const [shape, cases] of Object.entries(differentCases)) {
  Deno.test(`isEquivalent() grades wrong answers of shape "${shape}" not equal`, () => {
    for (const [gold, pred] of cases) {
      const v = isEquivalent(gold, pred);
      assert.ok(!v.equal, `${gold} vs ${pred}: ${v.reason} (${v.gold_norm} vs ${v.pred_norm})`);
      assert.ok(v.reason.length > 0);
    }
  });
}

Deno.test("isEquivalent() keeps exact fractions apart that floats cannot tell apart", () => {
  const v = isEquivalent("\\frac{1}{2004!}", "\\frac{1}{2006!}");
  assert.equal(v.equal, false, v.reason);
  const same = isEquivalent("\\frac{1}{2004!}", "\\frac{2005\\cdot 2006}{2006!}");
  assert.ok(same.equal, same.reason);
});

Deno.test("isEquivalent() does not read ±2021 as 2021, nor strip \\infty as a unit", () => {
  assert.equal(isEquivalent("\\pm 2021", "2021").equal, false);
  assert.equal(isEquivalent("2021", "\\pm 2021").equal, false);
  const v = isEquivalent("(-\\infty, 3]", "\\left(-\\infty,3\\right]");
  assert.ok(v.equal, v.reason);
  assert.equal(v.gold_norm, "(-\\infty,3]");
});

Deno.test("isEquivalent() matches \\left( 3, \\frac{\\pi}{2} \\right) with (3,\\frac{\\pi}{2}) without algebra", () => {
  const v = isEquivalent("\\left( 3, \\frac{\\pi}{2} \\right)", "(3,\\frac{\\pi}{2})", {
    symbolic: false,
  });
  assert.ok(v.equal, v.reason);
  assert.equal(v.reason, "exact match after normalisation");
});

Deno.test("isEquivalent() gives the tolerance to decimals only, and takes it from the options", () => {
  assert.ok(isEquivalent("\\frac{\\sqrt{21}}{5}", "0.9165").equal);
  assert.equal(isEquivalent("\\frac{\\sqrt{21}}{5}", "0.9165", { tolerance: 1e-6 }).equal, false);
  assert.ok(isEquivalent("\\frac{1}{3}", "0.33", { tolerance: 0.02 }).equal);
  // Two exact answers never get the tolerance, however loose.
  assert.equal(isEquivalent("\\frac{1}{3}", "\\frac{33}{100}", { tolerance: 0.02 }).equal, false);
});

Deno.test("isEquivalent() without the symbolic step decides cheap pairs and defers the rest", () => {
  assert.ok(isEquivalent("\\frac{2}{4}", "0.5", { symbolic: false }).equal);
  assert.ok(isEquivalent("(1,2)", "\\left(1, 2\\right)", { symbolic: false }).equal);
  assert.equal(isEquivalent("(1,2)", "(1,3)", { symbolic: false }).equal, false);
  assert.ok(isEquivalent("x^2+2x+1", "(x+1)^2", { symbolic: false }).equal, "by value");
  assert.throws(
    () => isEquivalent("\\sin^2 x + \\cos^2 x", "1", { symbolic: false }),
    (error: unknown) =>
      error instanceof NeedsSymbolic && error.norms.pred_norm === "1" &&
      error.norms.gold_norm.startsWith("\\sin^2"),
  );
});

Deno.test("isEquivalent() gives a verdict, never an exception, on malformed LaTeX", () => {
  const malformed = [
    "\\frac{1}{",
    "}{",
    "\\sqrt",
    "((((",
    "\\begin{pmatrix}1",
    "",
    "$$",
    "\\left(",
    "^^",
    "\\frac{}{}",
    "1,,2",
    "[1,",
    "\\boxed{",
    "x=",
    "=",
    "<",
    "\\cup",
    "\\pm",
    "{{{{}",
  ];
  for (const bad of malformed) {
    for (const [gold, pred] of [["\\frac{1}{2}", bad], [bad, "1"], [bad, bad + "1"]]) {
      let v;
      assert.doesNotThrow(() => v = isEquivalent(gold, pred), `${gold} vs ${pred}`);
      assert.equal(typeof v!.reason, "string");
    }
    assert.equal(isEquivalent("\\frac{1}{2}", bad).equal, false, bad);
  }
});

Deno.test("isEquivalent() reads 4\\sqrt(2) as 4\\sqrt{2}", () => {
  const v = isEquivalent("4\\sqrt{2}", "4\\sqrt(2)");
  assert.ok(v.equal, v.reason);
  assert.equal(isEquivalent("4\\sqrt{2}", "4\\sqrt(3)").equal, false);
});

Deno.test("isEquivalent() compares words as text, not as products of letters", () => {
  assert.equal(isEquivalent("\\text{Navin}", "Nvain").equal, false);
  assert.equal(isEquivalent("\\text{Navin}", "navin").equal, true);
  assert.equal(isEquivalent("\\sin x", "\\sin(x)").equal, true, "commands are not words");
});

Deno.test("isEquivalent() says which rule decided", () => {
  const reasons = [
    isEquivalent("025", "25").reason,
    isEquivalent("\\frac{1}{2}", "0.5").reason,
    isEquivalent("\\{1,2\\}", "2,1").reason,
    isEquivalent("x^2+2x+1", "(x+1)^2").reason,
    isEquivalent("(1,2]", "(1,2)").reason,
    isEquivalent("\\log_2 8", "3").reason,
  ];
  assert.deepEqual(reasons.slice(0, 3), [
    "exact match after normalisation",
    "equal rationals",
    "set: same elements in any order",
  ]);
  assert.match(reasons[3], /^numeric: equal at 5 points in x/);
  assert.match(reasons[4], /interval|openness/);
  assert.match(reasons[5], /^symbolic/);
});
