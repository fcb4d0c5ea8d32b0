import assert from "node:assert/strict";
import { extractAnswer, lastBoxed, stripThinking } from "./extract.ts";

Deno.test("extractAnswer() takes the last \\boxed{} and keeps nested braces", () => {
  assert.deepEqual(
    extractAnswer("\\boxed{1} was only a guess. The result is \\boxed{\\frac{a}{b^{2}}}."),
    {
      answer: "\\frac{a}{b^{2}}",
      source: "boxed",
    },
  );
  assert.equal(
    extractAnswer("$\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}$")?.answer,
    "\\left( 3, \\frac{\\pi}{2} \\right)",
  );
  assert.equal(
    extractAnswer("\\boxed{\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}}")?.answer,
    "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}",
  );
  assert.equal(extractAnswer("\\boxed{\\{1,2\\}}")?.answer, "\\{1,2\\}", "escaped braces");
});

Deno.test("extractAnswer() reads \\fbox{} and \\boxed without braces", () => {
  assert.equal(extractAnswer("\\fbox{7}")?.answer, "7");
  assert.equal(extractAnswer("thus \\boxed 5 is it")?.answer, "5");
  assert.equal(extractAnswer("\\boxed{1}. Checking again it is \\fbox{2}")?.answer, "2");
});

Deno.test("extractAnswer() skips an empty or unclosed box for the phrase", () => {
  assert.equal(extractAnswer("The answer is 4. \\boxed{}")?.answer, "4");
  assert.equal(extractAnswer("The answer is 4. \\boxed{\\frac{1}{2}")?.source, "answer-phrase");
});

Deno.test("extractAnswer() drops <think> reasoning", () => {
  assert.equal(extractAnswer("<think>maybe \\boxed{3}</think>The final answer is 4.")?.answer, "4");
  assert.equal(extractAnswer("<think>unfinished \\boxed{3}"), null);
  assert.equal(stripThinking("a<think>b</think>c"), "c");
});

Deno.test("extractAnswer() reads answer phrases, last one first", () => {
  assert.equal(extractAnswer("Answer: $x=2$\n")?.answer, "x=2");
  assert.equal(extractAnswer("So the final answer is $\\frac{1}{2}$.")?.answer, "\\frac{1}{2}");
  assert.equal(extractAnswer("The answer is 3. Wait, the answer is 5.")?.answer, "5");
});

Deno.test("extractAnswer() reads the Minerva, GSM8K and markdown answer formats", () => {
  const minerva = "Final Answer: The final answer is $\\frac{1}{2}$. I hope it is correct.";
  assert.equal(extractAnswer(minerva)?.answer, "\\frac{1}{2}");
  assert.equal(extractAnswer("so 6 * 7 = 42\n#### 42")?.answer, "42");
  assert.equal(extractAnswer("The answer is **7**.")?.answer, "7");
  assert.equal(extractAnswer("The answer is \\(\\frac{1}{2}\\).")?.answer, "\\frac{1}{2}");
});

Deno.test("extractAnswer() skips an empty last box for the one before it", () => {
  assert.equal(extractAnswer("$\\boxed{x^{2}}$ and then \\boxed{} 3")?.answer, "x^{2}");
});

Deno.test("extractAnswer() falls back to the last number unless told not to", () => {
  assert.deepEqual(extractAnswer("so we get 12 apples and 15 pears"), {
    answer: "15",
    source: "last-number",
  });
  assert.equal(extractAnswer("a total of -3.5 units")?.answer, "-3.5");
  assert.equal(extractAnswer("so we get 12 apples", { lastNumber: false }), null);
  assert.equal(extractAnswer("no numbers here"), null);
});

Deno.test("extractAnswer() reads a TIR completion's answer after the last code output", () => {
  const boxed =
    "I guess \\boxed{1000}.\n```python\nprint(2**10)\n```\n```output\n1024\n```\nThe answer is \\boxed{1024}.";
  assert.equal(extractAnswer(boxed)?.answer, "1024");
  const phrase = "```python\nprint(7)\n```\n```output\n7\n```\nSo the answer is 7.";
  assert.equal(extractAnswer(phrase)?.answer, "7");
  // Nothing after the output: the output's last number is the answer, not an earlier guess.
  const bare = "Guess 5.\n```python\nprint(6*7)\n```\n```output\n42\n```\n";
  assert.equal(extractAnswer(bare)?.answer, "42");
});

Deno.test("lastBoxed() is undefined when there is no box", () => {
  assert.equal(lastBoxed("no box"), undefined);
  assert.equal(lastBoxed("\\boxed{a{b}c}"), "a{b}c");
});

Deno.test("extractAnswer() joins boxes close together into one set, as latex2sympy2 does", () => {
  assert.equal(extractAnswer("The integers are \\boxed{-2} and \\boxed{1}.")?.answer, "-2,1");
  assert.equal(extractAnswer("$\\boxed{1}\\boxed{2}$")?.answer, "1,2");
  assert.equal(extractAnswer("\\boxed{3}, \\boxed{3}")?.answer, "3", "a repeated box counts once");
  assert.equal(extractAnswer("\\boxed{1} was only a guess. The result is \\boxed{2}")?.answer, "2");
});

Deno.test("extractAnswer() follows Math-Verify's priorities: boxes, final answer, answer, then any", () => {
  // Boxes and Minerva's "final answer is X. I hope" share the first priority: the rightmost wins.
  const both = "\\boxed{4}. Final Answer: The final answer is 5. I hope it is correct.";
  assert.equal(extractAnswer(both)?.answer, "5");
  assert.equal(extractAnswer("The final answer is 5. I hope so. \\boxed{4}")?.answer, "4");
  // "The final answer is X" beats a formula further right.
  const minerva = "Final Answer: The final answer is $(0, 1)$. Then $x = 7$ maybe.";
  assert.equal(extractAnswer(minerva)?.answer, "(0, 1)");
  // "answer" with a formula within 50 characters beats the last formula of the text.
  assert.equal(extractAnswer("Answer \\( (9+1) \\). Later we see $12$.")?.answer, "(9+1)");
  // After an answer word, the number after the last "=" within 100 characters.
  assert.equal(extractAnswer("Final Answer: P(A) = 1/2 = 2/4")?.answer, "2/4");
  // Nothing marked: the rightmost formula or number.
  assert.equal(extractAnswer("so $x = 4$ and then 7 apples")?.answer, "7");
  assert.equal(extractAnswer("the roots are $3$ and $-4$.")?.answer, "3,-4");
});

Deno.test("extractAnswer() never reads a number from inside a word or a formula that fails", () => {
  assert.equal(extractAnswer("The code is AZ2K."), null);
  assert.equal(extractAnswer("so the value is $2^{10}.$")?.answer, "2^{10}.");
  assert.equal(extractAnswer("we get $\\frac{1}{$ and stop"), null, "a broken formula lends no 1");
});

Deno.test("extractAnswer() takes a bare answer whole, gold or prediction", () => {
  assert.deepEqual(extractAnswer("10 \\text{ inches}"), {
    answer: "10 \\text{ inches}",
    source: "bare",
  });
  assert.deepEqual(extractAnswer("x = 1 or x = -2"), { answer: "x = 1 or x = -2", source: "bare" });
  assert.equal(extractAnswer("\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}")?.source, "bare");
});

Deno.test("extractAnswer() reads a gold given as text: math mode, a boxed solution, GSM8K", () => {
  assert.equal(extractAnswer("$35\\%$")?.answer, "35\\%");
  assert.equal(extractAnswer("$\\boxed{28}$ pct")?.answer, "28\\%");
  const solution = "Since $3^4 = 81$, we get $n = \\boxed{4}$.";
  assert.equal(extractAnswer(solution)?.answer, "4");
  assert.equal(extractAnswer("48 + 24 = 72 clips\n#### 72")?.answer, "72");
});
