import assert from "node:assert/strict";
import { loadDataset } from "../data/load_dataset.ts";
import { isEquivalent } from "./equivalent.ts";
import { parseStructure } from "./structure.ts";
import { normalizeAnswer } from "./normalize.ts";
import {
  cosmeticRewrite as rewrite,
  perturb,
  semanticRewrite,
} from "../../tests/fixtures/answer_rewrites.ts";

const dataDir = Deno.env.get("TOCODE_DATA") ??
  new URL("../../../shared/datasets", import.meta.url).pathname;
const { problems } = await loadDataset("math500", { dataDir });
const answers = problems.map((p) => p.answer);

/** The shape of an answer, for the report of which shapes the dataset has. */
function shape(answer: string): string {
  const s = parseStructure(normalizeAnswer(answer));
  const kind = s.kind;
  const body = normalizeAnswer(answer);
  const flavour = /^-?\d+$/.test(body)
    ? "integer"
    : /^-?\d*\.\d+$/.test(body)
    ? "decimal"
    : /\\frac/.test(body) && !/[a-z]{1}(?![a-z])/i.test(body.replace(/\\[a-z]+/gi, ""))
    ? "fraction"
    : /\\sqrt|\\pi/.test(body)
    ? "radical/pi"
    : /[a-zA-Z]/.test(body)
    ? "expression or text"
    : "other";
  return `${kind}/${flavour}`;
}

Deno.test("every MATH500 gold answer equals itself", () => {
  for (const a of answers) assert.ok(isEquivalent(a, a).equal, a);
});

Deno.test("every MATH500 gold answer equals a rewritten equivalent", () => {
  const failures = answers.filter((a) => !isEquivalent(a, rewrite(a)).equal);
  assert.deepEqual(failures.map((a) => [a, rewrite(a), isEquivalent(a, rewrite(a)).reason]), []);
});

Deno.test("MATH500 answers equal rewrites that need the numeric, set or symbolic rules", () => {
  const pairs = answers.map((a) => [a, semanticRewrite(a)] as const).filter(([, r]) => r);
  assert.ok(pairs.length > 350, `${pairs.length} rewritable answers`);
  const failures = pairs.filter(([a, r]) => !isEquivalent(a, r!).equal);
  assert.deepEqual(failures.map(([a, r]) => [a, r, isEquivalent(a, r!).reason]), []);
});

Deno.test("every MATH500 gold answer differs from a perturbed one", () => {
  const failures = answers.filter((a) => isEquivalent(a, perturb(a)).equal);
  assert.deepEqual(failures.map((a) => [a, perturb(a), isEquivalent(a, perturb(a)).reason]), []);
});

Deno.test("the MATH500 answers cover the expected shapes", () => {
  const shapes = new Set(answers.map(shape));
  for (
    const expected of [
      "scalar/integer",
      "scalar/fraction",
      "tuple/other",
      "interval/other",
      "set/integer",
    ]
  ) {
    assert.ok(
      [...shapes].some((s) => s.startsWith(expected.split("/")[0])),
      `${expected} in ${[...shapes]}`,
    );
  }
});
