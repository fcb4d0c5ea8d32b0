import assert from "node:assert/strict";
import { isBareAnswer } from "./bare_answer.ts";

Deno.test("isBareAnswer() takes answers whole: formulas, units, percent words, lists, one word", () => {
  for (
    const text of [
      "\\frac{14}{3}",
      "10 \\text{ inches}",
      "864 \\mbox{ inches}^2",
      "x = 1 or x = -2",
      "3 and -4",
      "35 percent",
      "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}",
      "3qr + 6q - 15r - 30",
      "\\overline{CD}",
      "Evelyn",
      "\\$32,\\!348",
      "(2,9) or (9,2)",
      "QX4B", // an opaque token is its own answer (and holds no 4)
    ]
  ) {
    assert.ok(isBareAnswer(text), text);
  }
});

Deno.test("isBareAnswer() leaves prose, math delimiters, boxes and answer phrases to extraction", () => {
  for (
    const text of [
      "so we get 12 apples",
      "It is 35 percent",
      "x is 5",
      "$5$",
      "\\(5\\)",
      "\\boxed{5}",
      "The answer is 5",
      "#### 5",
      "",
    ]
  ) {
    assert.ok(!isBareAnswer(text), text);
  }
});
