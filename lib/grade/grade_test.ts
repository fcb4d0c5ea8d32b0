import assert from "node:assert/strict";
import { isEquivalent } from "./equivalent.ts";
import { extractAnswer } from "./extract.ts";
import { createGrader } from "./grader.ts";

const equal: [string, string][] = [
  ["\\left( 3, \\frac{\\pi}{2} \\right)", "(3,\\frac{\\pi}{2})"],
  ["\\pm 2021", "2021, -2021"],
  ["3 \\pm 2 \\sqrt{2}", "3-2\\sqrt{2}, 3+2\\sqrt{2}"],
  ["\\{1\\pm\\sqrt{5},-2\\}", "-2, 1+\\sqrt{5}, 1-\\sqrt{5}"],
  ["(2,12) \\cup (12,102)", "(12,102)\\cup(2,12)"],
  ["[-2, 7)", "\\left[-2,7\\right)"],
  ["(-\\infty, 3]", "(-\\infty,3]"],
  ["x^5 - x^4 + x^3 - x^2 + x - 1", "(x-1)(x^4+x^2+1)"],
  ["8n^2 + 4n + 1", "1+4n+8n^2"],
  ["\\frac{\\sqrt{21}}{5}", "\\sqrt{21}/5"],
  ["\\frac{\\sqrt{21}}{5}", "0.9165"],
  ["6 - 5i", "-5i+6"],
  ["\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "\\begin{bmatrix}1\\\\2\\end{bmatrix}"],
  ["\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}", "\\begin{pmatrix}1&0\\\\0&1\\end{pmatrix}"],
  ["x=3", "3"],
  ["y=2x+1", "2x+1"],
  ["x \\le 3", "3 \\ge x"],
  ["x > -1", "x>-1"],
  ["\\text{Evelyn}", "Evelyn"],
  ["\\text{(E)}", "E"],
  ["58,500", "58500"],
  ["025", "25"],
  ["073", "73"],
  ["4\\sqrt(2)", "4\\sqrt{2}"],
  ["5.4 \\text{ cents}", "5.4"],
  ["10 \\text{ inches}", "10"],
  ["55^\\circ", "55"],
  ["120^{\\circ}", "120"],
  ["e^{i\\pi}", "-1"],
  ["\\{1,2\\}", "\\{2,1\\}"],
  ["2k", "k+k"],
  ["\\frac12", "\\frac{1}{2}"],
  ["\\dfrac{17}{50}", "0.34"],
  ["\\tfrac{3}{4}", "\\frac{3}{4}"],
  ["\\sqrt2", "\\sqrt{2}"],
  ["2\\frac{1}{2}", "\\frac{5}{2}"],
  ["\\$1.25", "1.25"],
  ["50\\%", "50"],
  ["10110_2", "10110"],
  [".35625", "0.35625"],
  ["\\frac{1}{2004!}", "\\frac{2005\\cdot2006}{2006!}"],
  ["2^{100}", "1267650600228229401496703205376"],
  ["10!", "3628800"],
  ["\\infty", "\\infty"],
  ["288 \\pi", "288\\pi"],
  ["\\frac{9\\pi}{2}", "4.5\\pi"],
  ["p - q", "-q+p"],
  ["x \\in [1,2]", "[1,2]"],
  ["1,2,3", "3, 2, 1"],
  ["\\sqrt{3}/2", "\\frac{\\sqrt{3}}{2}"],
];

const different: [string, string][] = [
  ["\\frac{1}{2004!}", "\\frac{1}{2006!}"],
  ["\\pm 2021", "2021"],
  ["1000000!", "999999!"],
  ["(-\\infty, 3]", "(-\\infty,3)"],
  ["(1,2)", "(2,1)"],
  ["\\frac{1}{3}", "0.33"],
  ["2^{100}", "1267650600228229401496703205377"],
  ["6 - 5i", "6+5i"],
  ["8n^2 + 4n + 1", "8n^2+4n+2"],
  ["x^2", "y^2"],
  ["\\infty", "-\\infty"],
  ["\\text{east}", "west"],
  ["[1,2]", "[1,2)"],
  ["\\{1,2\\}", "\\{1,2,3\\}"],
  ["\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "\\begin{pmatrix} 2 \\\\ 1 \\end{pmatrix}"],
  ["x \\le 3", "x < 3"],
  ["25", "250"],
  ["\\sqrt{2}", "1.4"],
];

for (const [gold, pred] of equal) {
  Deno.test(`isEquivalent() equal: ${gold} ~ ${pred}`, () => {
    const v = isEquivalent(gold, pred);
    assert.ok(v.equal, v.reason);
    assert.ok(v.reason.length > 0);
  });
}

for (const [gold, pred] of different) {
  Deno.test(`isEquivalent() different: ${gold} vs ${pred}`, () => {
    const v = isEquivalent(gold, pred);
    assert.ok(!v.equal, v.reason);
  });
}

Deno.test("isEquivalent() gives a verdict, never an exception, on malformed LaTeX", () => {
  for (
    const bad of [
      "\\frac{1}{",
      "}{",
      "\\sqrt",
      "((((",
      "\\begin{pmatrix}1",
      "",
      "$$",
      "\\left(",
      "^^",
    ]
  ) {
    const v = isEquivalent("\\frac{1}{2}", bad);
    assert.equal(v.equal, false);
    assert.equal(typeof v.reason, "string");
    assert.doesNotThrow(() => isEquivalent(bad, "1"));
  }
});

Deno.test("extractAnswer() takes the last boxed answer with nested braces", () => {
  assert.deepEqual(extractAnswer("\\boxed{1} then \\boxed{\\frac{a}{b^{2}}}."), {
    answer: "\\frac{a}{b^{2}}",
    source: "boxed",
  });
  assert.equal(extractAnswer("\\fbox{7}")?.answer, "7");
  assert.equal(extractAnswer("thus \\boxed 5 is it")?.answer, "5");
});

Deno.test("extractAnswer() drops <think> and reads phrases, then the last number", () => {
  assert.equal(extractAnswer("<think>maybe \\boxed{3}</think>The final answer is 4.")?.answer, "4");
  assert.equal(extractAnswer("<think>unfinished \\boxed{3}")?.answer ?? null, null);
  assert.equal(extractAnswer("Answer: $x=2$\n")?.answer, "x=2");
  assert.equal(extractAnswer("so we get 12 apples and 15 pears")?.answer, "15");
  assert.equal(extractAnswer("so we get 12 apples", { lastNumber: false }), null);
});

Deno.test("extractAnswer() reads a TIR completion's answer after the last code output", () => {
  const completion =
    "```python\nprint(2**10)\n```\n```output\n1024\n```\nThe answer is \\boxed{1024}.";
  assert.equal(extractAnswer(completion)?.answer, "1024");
  const noBox = "```python\nprint(7)\n```\n```output\n7\n```\nSo the answer is 7.";
  assert.equal(extractAnswer(noBox)?.answer, "7");
});

Deno.test("createGrader() times out a pathological pair, reports it, and keeps grading", async () => {
  // 2^{2^30} takes the compute engine many seconds; a normal symbolic pair well under one.
  const grader = createGrader({ timeoutMs: 3000 });
  const slow = await grader.grade("2^{2^{30}}", "2^{2^{30}}+1");
  assert.equal(slow.equal, false);
  assert.match(slow.reason, /^timeout/);
  assert.equal(grader.stats.timeouts, 1);
  const next = await grader.grade("x^2+2x+1", "(x+1)^2");
  assert.ok(next.equal, next.reason);
  const fast = await grader.grade("025", "25");
  assert.ok(fast.equal);
  assert.equal(grader.stats.symbolic, 2, "the exact pair never reached the worker");
  await grader.close();
  await assert.rejects(() => grader.grade("1", "1"), /grader is closed/);
});

Deno.test("isEquivalent() compares words as text, not as products of letters", () => {
  assert.equal(isEquivalent("\\text{Navin}", "Nvain").equal, false);
  assert.equal(isEquivalent("\\text{Navin}", "navin").equal, true);
  assert.equal(isEquivalent("\\text{east}", "\\text{East}").equal, true);
  assert.equal(isEquivalent("\\sin x", "\\sin(x)").equal, true, "commands are not words");
});
