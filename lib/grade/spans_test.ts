import assert from "node:assert/strict";
import { mathSpans, numberSpans } from "./spans.ts";

const texts = (spans: { text: string }[]) => spans.map((s) => s.text);

Deno.test("mathSpans() finds $…$, \\(…\\), \\[…\\] and $$…$$; only display math spans lines", () => {
  assert.deepEqual(texts(mathSpans("a $1$ b \\(2\\) c \\[3\\] d $$4$$ e")), ["1", "2", "3", "4"]);
  assert.deepEqual(texts(mathSpans("Answer \\[ \n 9 \n \\]")), ["9"]);
  assert.deepEqual(texts(mathSpans("Answer $$ \n 9 \n $$")), ["9"]);
  assert.deepEqual(texts(mathSpans("Answer $ \n 9 \n $")), [], "inline math is one line");
  assert.deepEqual(texts(mathSpans("Answer \\( \n 9 \n \\)")), []);
});

Deno.test("mathSpans() leaves escaped dollars alone and reads a plain fraction", () => {
  assert.deepEqual(texts(mathSpans("it costs \\$5 and \\$6")), []);
  assert.deepEqual(texts(mathSpans("so -\\frac{3}{4} it is")), ["-\\frac{3}{4}"]);
});

Deno.test("mathSpans() joins formulas linked by and, or and commas into one set, at most six", () => {
  assert.deepEqual(texts(mathSpans("roots $1$, $2$, and $3$.")), ["1,2,3"]);
  assert.deepEqual(texts(mathSpans("$x=1$ or $x=2$")), ["x=1,x=2"]);
  assert.deepEqual(texts(mathSpans("Since $x=2$, we get $y=5$")), ["x=2", "y=5"], "prose between");
  const seven = Array.from({ length: 7 }, (_, i) => `$${i}$`).join(", ");
  assert.deepEqual(texts(mathSpans(seven)), ["0,1,2,3,4,5", "6"]);
});

Deno.test("mathSpans() takes the boxes inside a formula and a percent after it", () => {
  assert.deepEqual(texts(mathSpans("$x = \\boxed{4}$")), ["4"]);
  assert.deepEqual(texts(mathSpans("$28$ percent")), ["28\\%"]);
  assert.deepEqual(texts(mathSpans("$28$ %")), ["28\\%"]);
});

Deno.test("numberSpans() reads numbers only after a space, `=` or the start: QX4B holds none", () => {
  assert.deepEqual(texts(numberSpans("QX4B AZYUK2A x4 ten10")), []);
  assert.deepEqual(texts(numberSpans("x=4 and 100m2")), ["4", "100"]);
});

Deno.test("numberSpans() reads thousands, decimal commas, leading dots, currency and percent words", () => {
  assert.deepEqual(
    texts(numberSpans("1,000.99 2 500 3,141,000 12,75 .75 $100 €5 35 percent 35 pct 35 %")),
    ["1000.99", "2500", "3141000", "12.75", ".75", "100", "5", "35%", "35%", "35%"],
  );
});

Deno.test("numberSpans() reads plain expressions ended by punctuation, without backtracking", () => {
  assert.deepEqual(texts(numberSpans("P = 2/3 so (1/2) * (4/3).")).filter((t) => /[/*]/.test(t)), [
    "2/3",
    "(1/2) * (4/3)",
  ]);
  // A long run of digits and spaces (a TIR output) is read in linear time.
  const start = performance.now();
  numberSpans("1 2 ".repeat(20_000) + "x");
  assert.ok(performance.now() - start < 2000);
});
