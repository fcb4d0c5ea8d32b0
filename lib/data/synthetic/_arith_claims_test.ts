import assert from "node:assert/strict";
import { arithmeticClaims, evaluate } from "./_arith_claims.ts";

Deno.test("evaluate() computes integer arithmetic exactly and refuses what does not parse", () => {
  assert.equal(evaluate("10*(3 + 39)/2"), 210n);
  assert.equal(evaluate("2^3^2"), 512n);
  assert.equal(evaluate("123456789012*987654321098"), 121932631136585886175176n);
  assert.equal(evaluate("36)"), undefined);
  assert.equal(evaluate(""), undefined);
  assert.notEqual(evaluate("7/2"), 3n);
});

Deno.test("arithmeticClaims() finds the chains of a solution and skips sides with words", () => {
  const claims = arithmeticClaims(
    "7x = 40 - 5 = 35, so x = 35 / 7 = 5. C(12, 10) = C(12, 2): 12*11/2 = 66; 7*7=49 -> 9.",
  );
  assert.deepEqual(claims.map((c) => c.sides), [
    ["40 - 5", "35"],
    ["35 / 7", "5"],
    ["12*11/2", "66"],
    ["7*7", "49"],
  ]);
  const wrong = arithmeticClaims("4+8+1=14 -> 4");
  assert.notEqual(wrong[0].values[0], wrong[0].values[1]);
});
