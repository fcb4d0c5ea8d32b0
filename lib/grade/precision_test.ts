import assert from "node:assert/strict";
import { comparisonPlaces, floatRoundsToGold, roundsToGold, statedPrecision } from "./precision.ts";
import { parseRational } from "./rational.ts";

Deno.test("statedPrecision() counts places and significant digits of a decimal only", () => {
  assert.deepEqual(statedPrecision("16386.17"), { places: 2, significant: 7 });
  assert.deepEqual(statedPrecision("0.0000672"), { places: 7, significant: 3 });
  assert.deepEqual(statedPrecision(".5"), { places: 1, significant: 1 });
  assert.equal(statedPrecision("42"), undefined);
  assert.equal(statedPrecision("\\frac{1}{2}"), undefined);
});

Deno.test("comparisonPlaces(): a rounded gold at its own places, a short one at six", () => {
  assert.equal(comparisonPlaces("33.3"), 1);
  assert.equal(comparisonPlaces("7.78"), 2);
  assert.equal(comparisonPlaces("0.5"), 6);
  assert.equal(comparisonPlaces("0.15"), 6);
  assert.equal(comparisonPlaces("0.0000005"), 7, "a short gold stating more places keeps them");
});

Deno.test("roundsToGold() is exact on rationals, half a unit of the last place either way", () => {
  const r = (t: string) => parseRational(t)!;
  assert.ok(roundsToGold(r("33.35"), r("33.3"), 1), "a tie rounds either way");
  assert.ok(!roundsToGold(r("33.3501"), r("33.3"), 1));
  assert.ok(roundsToGold(r("\\frac{70}{9}"), r("7.78"), 2));
  assert.ok(!roundsToGold(r("16386.16"), r("16386.17"), 2));
  assert.ok(floatRoundsToGold(Math.SQRT2, 1.41, 2));
  assert.ok(!floatRoundsToGold(Math.SQRT2, 1.41, 3));
});
