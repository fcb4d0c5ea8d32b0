import assert from "node:assert/strict";
import { majorityAtK } from "./majority.ts";

const v = (key: string | null, correct: boolean) => ({ key, correct });

Deno.test("majorityAtK() counts equivalent answers as one vote: 1/2, 0.5 and \\frac{2}{4}", () => {
  const votes = [
    v("3", false),
    v("3", false),
    v("1/2", true),
    v("0.5", true),
    v("\\frac{2}{4}", true),
  ];
  assert.equal(majorityAtK(votes, 5), true, "3 answers of one class beat 2");
  // Votes by string (the old rule) would elect 3: the same votes, compared as text.
  assert.equal(majorityAtK(votes, 5, { same: (a, b) => a === b }), false);
});

Deno.test("majorityAtK() merges equations with their values and sets in any order", () => {
  const votes = [v("7", false), v("y = 6", true), v("6", true), v("7", false), v("6.0", true)];
  assert.equal(majorityAtK(votes, 5), true);
  const sets = [v("1,2", false), v("\\{2, 1\\}", false), v("3", true), v("3", true)];
  assert.equal(majorityAtK(sets, 4), false, "{1,2} reached two votes first");
});

Deno.test("majorityAtK() keeps different answers apart and ties to the class that led first", () => {
  const votes = [v("0.5", true), v("0.51", false), v("0.51", false), v("1/2", true)];
  assert.equal(majorityAtK(votes, 3), false, "0.51 leads 2 to 1");
  assert.equal(majorityAtK(votes, 4), false, "2-2 tie; 0.51 reached two votes first");
  assert.equal(majorityAtK([v(null, true), v(null, true)], 2), false, "no answer, no vote");
});
