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
