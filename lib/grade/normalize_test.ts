import assert from "node:assert/strict";
import { normalizeAnswer } from "./normalize.ts";

/** Each rule of the normaliser: input and the form it must reach. */
const rules: [rule: string, input: string, output: string][] = [
  ["\\left and \\right", "\\left( 3, \\frac{\\pi}{2} \\right)", "(3,\\frac{\\pi}{2})"],
  ["\\left[ … \\right)", "\\left[-2,7\\right)", "[-2,7)"],
  ["thin spaces", "10,\\!080", "10080"],
  ["\\, and \\;", "2\\,\\sqrt{3}\\;", "2\\sqrt{3}"],
  ["\\dfrac", "\\dfrac{17}{50}", "\\frac{17}{50}"],
  ["\\tfrac", "\\tfrac{3}{4}", "\\frac{3}{4}"],
  ["\\frac12", "\\frac12", "\\frac{1}{2}"],
  ["\\frac 59", "\\frac 59", "\\frac{5}{9}"],
  ["\\frac9{19}", "\\frac9{19}", "\\frac{9}{19}"],
  ["\\frac{270}7", "\\frac{270}7", "\\frac{270}{7}"],
  ["\\sqrt2", "11\\sqrt2", "11\\sqrt{2}"],
  ["\\sqrt23 is \\sqrt{2}3", "\\sqrt23", "\\sqrt{2}3"],
  ["\\text{} kept", "\\text{Evelyn}", "Evelyn"],
  ["\\textbf{} kept", "\\textbf{(B)}", "B"],
  ["\\text{} unit dropped", "5.4 \\text{ cents}", "5.4"],
  ["\\mbox{} unit with a power", "864 \\mbox{ inches}^2", "864"],
  ["unit word", "10 inches", "10"],
  ["unit word with a power", "15 cm^2", "15"],
  ["short unit needs a space", "2cm", "2cm"],
  ["\\infty untouched", "(-\\infty, 0]", "(-\\infty,0]"],
  ["\\infty alone", "\\infty", "\\infty"],
  ["\\in untouched", "x \\in [-2,7]", "x\\in[-2,7]"],
  ["degrees ^\\circ", "90^\\circ", "90"],
  ["degrees ^{\\circ}", "120^{\\circ}", "120"],
  ["degree sign", "36°", "36"],
  ["percent", "50\\%", "50"],
  ["dollars", "\\$18.90", "18.90"],
  ["dollars with thousands", "\\$32,\\!348", "32348"],
  ["thousands separators", "58,500", "58500"],
  ["{,} separators", "10{,}000", "10000"],
  ["thousands inside a fraction", "\\frac{12}{5,\\!525}", "\\frac{12}{5525}"],
  ["unit words across a line break", "90\\text{ square\nunits}", "90"],
  ["equation kept, sides and all", "y = 2x + 3", "y=2x+3"],
  ["equation kept", "5x - 7y + 11z + 4 = 0", "5x-7y+11z+4=0"],
  ["x=1 or x=2 as a list", "x=1 \\text{ or } x=2", "x=1,x=2"],
  ["3 and -4 as a list", "3 and -4", "3,-4"],
  ["\\cfrac", "\\cfrac{1}{3}", "\\frac{1}{3}"],
  ["\\textnormal{} unit dropped", "125\\textnormal{ miles}", "125"],
  ["\\textbf{} unit dropped", "\\frac{1}{3} \\textbf{meters}", "\\frac{1}{3}"],
  ["percent word", "35 percent", "35"],
  ["pct", "35 pct", "35"],
  ["percentage", "35 percentage", "35"],
  ["thousands separated by spaces", "2 500", "2500"],
  ["thousands separated by spaces, twice", "1 000 000", "1000000"],
  ["thousands with commas", "3,141,000", "3141000"],
  ["a leading zero group is not thousands", "0,111", "0,111"],
  ["grouping braces around a list", "{1,3}", "1,3"],
  ["mixed number in a list", "1\\frac{1}{2}, 2", "\\frac{3}{2},2"],
  ["ellipsis kept", "1, 2, 3, ...", "1,2,3,..."],
  ["trailing full stop", "(8,-2).", "(8,-2)"],
  ["math delimiters", "$\\frac{1}{2}$", "\\frac{1}{2}"],
  ["leading zeros (AIME)", "025", "25"],
  ["leading zeros, negative", "-007", "-7"],
  ["zero kept", "0", "0"],
  ["leading dot", ".35625", "0.35625"],
  ["mixed number", "1\\frac{4}{5}", "\\frac{9}{5}"],
  ["mixed number with a space", "137 \\frac{1}{2}", "\\frac{275}{2}"],
  ["negative mixed number", "-2\\frac{1}{2}", "-\\frac{5}{2}"],
  ["base subscript", "52_8", "52"],
  ["base subscript in braces", "4210_{5}", "4210"],
  ["whitespace", " 3 \\pm 2 \\sqrt{2} ", "3\\pm2\\sqrt{2}"],
  ["space after a command before a letter", "\\cot x", "\\cot x"],
  ["multiple choice", "\\text{(C)}", "C"],
  ["the reals", "\\mathbb{R}", "(-\\infty,\\infty)"],
  ["unit in parentheses", "3\\text{ (units)}", "3"],
  ["Unicode relations", "x ≤ 3", "x\\le3"],
  ["Unicode minus and infinity", "(−∞, 3)", "(-\\infty,3)"],
  ["Unicode root and π", "√3π", "\\sqrt{3}\\pi"],
];

for (const [rule, input, output] of rules) {
  Deno.test(`normalizeAnswer() rule: ${rule}`, () => {
    assert.equal(normalizeAnswer(input), output);
  });
}

Deno.test("normalizeAnswer() is idempotent on every rule's output", () => {
  for (const [, , output] of rules) assert.equal(normalizeAnswer(output), output);
});
