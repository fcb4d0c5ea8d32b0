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

const eq = (gold: string, pred: string) => isEquivalent(gold, pred).equal;

Deno.test("isEquivalent() reads equations as Math-Verify does: values of assignments, one way", () => {
  assert.ok(eq("7", "y = 7"), "a predicted equation is worth its value");
  assert.ok(eq("y = 7", "7"), "a gold assignment is worth its value");
  assert.ok(eq("(4,1)", "(a,b)=(4,1)"));
  assert.ok(eq("(12,3)", "m = 12, n = 3"));
  assert.ok(eq("x = 11", "x = 5+5+1 = 11"), "a chain keeps its first and last sides");
  assert.equal(eq("2x + z = 1", "1"), false, "an equation that assigns nothing is not its value");
  assert.equal(eq("7 = 11a+c", "11a+c"), false);
  assert.equal(eq("k = 2", "j = 2"), false, "two assignments keep their variables");
});

Deno.test("isEquivalent() compares relations: swapped, negated, multiplied", () => {
  assert.ok(eq("x \\le 3", "3 \\ge x"));
  assert.ok(eq("-x < 2", "x > -2"));
  assert.ok(eq("x < 1", "-x > -1"));
  assert.ok(eq("2x < 6", "x < 3"), "a positive multiple");
  assert.equal(eq("-x < 2", "x < -2"), false, "a negative multiple flips an inequality");
  assert.equal(eq("x < 3", "x \\le 3"), false);
  assert.ok(eq("3x-6y+2=0", "y=\\frac{1}{2}x+\\frac{1}{3}"), "any nonzero multiple of an equation");
  assert.ok(eq("x^2/4 + y^2/3 = 1", "x^2/16 + y^2/12 = 1/4"));
  assert.equal(eq("3x-6y+2=0", "y=\\frac{1}{2}x-\\frac{1}{3}"), false);
  // Decided by value: no algebra needed for lines, planes and one-variable equations.
  for (
    const [g, p] of [["x=5", "x=6"], ["y = 2x + 3", "y = 3x + 3"], ["3x-6y+2=0", "6x-12y+4=0"]]
  ) {
    assert.doesNotThrow(() => isEquivalent(g, p, { symbolic: false }), `${g} vs ${p}`);
  }
});

Deno.test("isEquivalent() compares sets: any order, a duplicate is one element, {5} is 5", () => {
  assert.ok(eq("\\{-5, 0, 5\\}", "\\{0, 5, -5, 5\\}"));
  assert.ok(eq("\\{\\frac{1}{2}, 2\\}", "2, 0.5, \\frac{2}{4}"), "duplicates written differently");
  assert.equal(eq("\\{-5, 0, 5\\}", "\\{5, -5\\}"), false);
  assert.ok(eq("2", "\\{2\\}"));
  assert.ok(eq("(2,9),(9,2)", "(9,2) \\text{ or } (2,9)"), "a set of points");
  assert.ok(eq("1, 5", "1; 5"));
});

Deno.test("isEquivalent() compares a gold tuple with a set in written order, a gold set in any", () => {
  assert.ok(eq("(1,3)", "\\{1,3\\}"));
  assert.equal(eq("(3,1)", "\\{1,3\\}"), false);
  assert.ok(eq("1,3", "(3,1)"));
});

Deno.test("isEquivalent() reads a decimal comma against a single number; a spaced list stays one", () => {
  assert.equal(eq("58500", "58, 500"), false, "Math-Verify: `32, 349` is a list, not 32349");
  assert.ok(eq("58,500", "58500"), "a comma with no space is a thousands separator");
  assert.ok(eq("12.75", "12,75"));
  assert.ok(eq("1,22", "1.22"));
  assert.ok(eq("2500", "2 500"));
  assert.equal(eq("0,1", "0"), false, "a list gold is no number");
  assert.ok(eq("1,2", "2,1"), "a list against a list stays a set");
  assert.equal(eq("1,2", "1,3"), false);
});

Deno.test("isEquivalent() compares a decimal gold at its precision", () => {
  assert.ok(eq("33.3", "\\frac{100}{3}"), "three significant digits: the stated places");
  assert.ok(eq("7.78", "\\frac{70}{9}"));
  assert.ok(eq("1.41", "\\sqrt{2}"));
  assert.equal(eq("16386.17", "16386.16"), false, "a cent apart");
  assert.equal(eq("0.5", "0.54"), false, "a short gold: Math-Verify's six places");
  assert.equal(eq("0.5", "\\frac{6}{11}"), false);
  assert.ok(eq("0.5", "0.4999999"));
  assert.equal(eq("0.0000672", "0.0000673"), false, "a gold with more places keeps them");
  // An exact gold against a decimal: the relative tolerance (Qwen2.5-Math's numeric_equal).
  assert.ok(eq("\\frac{1}{3}", "0.333333"));
  assert.equal(eq("\\frac{1}{3}", "0.33"), false);
});

Deno.test("isEquivalent() drops units and percent words, and reads \\cfrac and \\textnormal", () => {
  assert.ok(eq("35\\%", "35 percent"));
  assert.ok(eq("35\\%", "35 pct"));
  assert.ok(eq("125", "125\\textnormal{ miles}"));
  assert.ok(eq("\\frac{1}{3}", "\\cfrac{1}{3} \\textbf{meters}"));
  assert.equal(eq("0.35", "35 percent"), false, "a percentage is its number (Math-Verify's tests)");
});

Deno.test("isEquivalent() compares unions of intervals and points, and matrices in any notation", () => {
  assert.ok(eq("\\{2\\} \\cup (3,8]", "(3,8] \\cup \\{2\\}"));
  assert.equal(eq("\\{2\\} \\cup (3,8]", "(3,8]"), false);
  assert.equal(eq("\\{2\\} \\cup (3,8]", "\\{3\\} \\cup (3,8]"), false);
  const m = "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}";
  assert.ok(eq(m, "\\left[\\begin{array}{cc} 1 & 2 \\\\ 3 & 4 \\end{array}\\right]"));
  assert.ok(eq(m, "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}"));
  assert.equal(eq(m, "\\begin{bmatrix} 1 & 3 \\\\ 2 & 4 \\end{bmatrix}"), false);
  assert.equal(
    eq(
      "\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}",
      "\\begin{pmatrix} 1 & 0 & 0 \\\\ 0 & 1 & 0 \\end{pmatrix}",
    ),
    false,
  );
});
