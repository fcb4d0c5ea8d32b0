import assert from "node:assert/strict";
import { normalizeAnswer } from "./normalize.ts";
import { isAssignment, parseStructure } from "./structure.ts";

const parse = (text: string) => parseStructure(normalizeAnswer(text));

Deno.test("parseStructure() keeps equations as relations, chains as first and last side", () => {
  assert.deepEqual(parse("y = 7"), { kind: "relation", op: "=", lhs: "y", rhs: "7" });
  assert.deepEqual(parse("x = 5+5+1 = 11"), { kind: "relation", op: "=", lhs: "x", rhs: "11" });
  assert.deepEqual(parse("(a,b) = (4,1)"), {
    kind: "relation",
    op: "=",
    lhs: "(a,b)",
    rhs: "(4,1)",
  });
});

Deno.test("isAssignment() asks for a left side of letters only, as Math-Verify does", () => {
  for (const text of ["y = 7", "(a,b)=(4,1)", "\\theta = 1", "x_1 = 2", "f(x) = x^2"]) {
    assert.ok(isAssignment(parse(text)), text);
  }
  for (const text of ["2x + z = 1", "a^2 + b = 0", "7 = 11a+c", "x < 3"]) {
    assert.ok(!isAssignment(parse(text)), text);
  }
});

Deno.test("parseStructure() reads solution lists: x=1 or x=2 as a set, m=12, n=3 as a point", () => {
  assert.deepEqual(parse("x=1 \\text{ or } x=-2"), {
    kind: "set",
    items: ["1", "-2"],
    braced: false,
  });
  assert.deepEqual(parse("n = 3, m = 12"), { kind: "tuple", items: ["12", "3"] });
  assert.deepEqual(parse("x = -2, 1"), { kind: "set", items: ["-2", "1"], braced: false });
});

Deno.test("parseStructure() reads ;-lists, \\approx and \\in", () => {
  assert.deepEqual(parse("1; 5"), { kind: "set", items: ["1", "5"], braced: false });
  assert.deepEqual(parse("x \\approx 11"), { kind: "scalar", text: "11" });
  assert.deepEqual(parse("\\frac{1}{3} \\approx 0.33"), { kind: "scalar", text: "\\frac{1}{3}" });
  assert.equal(parse("x \\in [-2,7]").kind, "interval");
});

Deno.test("parseStructure() reads a union of intervals and finite sets", () => {
  assert.deepEqual(parse("\\{2\\} \\cup (3,8]"), {
    kind: "interval",
    parts: [{ low: "3", high: "8", lowClosed: false, highClosed: true }],
    points: ["2"],
  });
  assert.equal(parse("\\{1\\} \\cup \\{2\\}").kind, "interval", "not one set \\{1\\}\\cup\\{2\\}");
});

Deno.test("parseStructure() reads a matrix in brackets, array or bmatrix", () => {
  const rows = [["1", "2"], ["3", "4"]];
  assert.deepEqual(parse("\\left[\\begin{array}{cc} 1 & 2 \\\\ 3 & 4 \\end{array}\\right]"), {
    kind: "matrix",
    rows,
  });
  assert.deepEqual(parse("\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\\\ \\end{bmatrix}"), {
    kind: "matrix",
    rows,
  });
});
