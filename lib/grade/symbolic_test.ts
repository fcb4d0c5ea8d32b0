import assert from "node:assert/strict";
import { proportionalEquations, symbolicEqual } from "./symbolic.ts";

const tolerance = { tolerance: 1e-4 };

Deno.test("symbolicEqual() reads every pair afresh: f(x) in one pair does not break f+1 in the next", () => {
  assert.ok(symbolicEqual("f(x)", "f(x)", tolerance).equal);
  const v = symbolicEqual("f+1", "1+f", tolerance);
  assert.ok(v.equal, v.reason);
});

Deno.test("symbolicEqual() gives exact expressions no tolerance, decimals the given one", () => {
  assert.equal(symbolicEqual("\\sqrt{2}", "\\frac{99}{70}", tolerance).equal, false);
  assert.equal(symbolicEqual("\\pi", "\\frac{355}{113}", tolerance).equal, false);
  assert.ok(symbolicEqual("\\pi", "3.14159", tolerance).equal);
  assert.equal(symbolicEqual("\\pi", "3.14159", { tolerance: 1e-8 }).equal, false);
});

Deno.test("symbolicEqual() tells apart values beyond float range exactly", () => {
  assert.equal(symbolicEqual("\\frac{1}{2004!}", "\\frac{1}{2006!}", tolerance).equal, false);
  assert.equal(symbolicEqual("2^{100}", "2^{100}+1", tolerance).equal, false);
  assert.ok(symbolicEqual("2^{100}", "4^{50}", tolerance).equal);
});

Deno.test("symbolicEqual() compares expressions in variables at random points", () => {
  assert.ok(symbolicEqual("\\sin^2 x+\\cos^2 x", "1", tolerance).equal);
  assert.equal(symbolicEqual("x^2", "y^2", tolerance).equal, false);
  assert.match(symbolicEqual("x^2", "y^2", tolerance).reason, /different variables/);
});

Deno.test("proportionalEquations() accepts a nonzero multiple and nothing else", () => {
  assert.ok(proportionalEquations("5x-7y+11z+4", "-10x+14y-22z-8").equal);
  assert.equal(proportionalEquations("5x-7y+11z+4", "5x-7y+11z-4").equal, false);
  assert.equal(proportionalEquations("x+y", "x+z").equal, false);
});
