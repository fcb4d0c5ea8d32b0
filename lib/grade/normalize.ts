import { braceGroup } from "./braces.ts";

/** Words that name units; dropped after a number ("5.4 cents", "10 \text{ inches}"). */
export const UNIT_WORDS = [
  "square units",
  "square feet",
  "square inches",
  "square meters",
  "square centimeters",
  "sq units",
  "cubic feet",
  "cubic inches",
  "cubic units",
  "units",
  "unit",
  "cm",
  "mm",
  "km",
  "meters",
  "meter",
  "metres",
  "metre",
  "kilometers",
  "kilometres",
  "liters",
  "litres",
  "gallons",
  "centimeters",
  "inches",
  "inch",
  "feet",
  "foot",
  "ft",
  "yards",
  "yard",
  "miles",
  "mile",
  "mph",
  "degrees",
  "degree",
  "radians",
  "cents",
  "cent",
  "dollars",
  "dollar",
  "hours",
  "hour",
  "minutes",
  "minute",
  "seconds",
  "second",
  "days",
  "day",
  "weeks",
  "years",
  "pounds",
  "ounces",
  "grams",
  "kg",
  "people",
  "students",
  "ways",
  "items",
  "points",
];
/** A unit may carry a power (`cm^2`, `inches^{3}`). */
const POWER = String.raw`(?:\^\s*\{?\s*[23]\s*\}?)?`;
// Words of three letters or more may follow the number directly; shorter ones (cm, ft) need a
// space, so that `2cm` or `4mm` written as products of variables keep their letters.
const UNIT = new RegExp(
  String.raw`(\d|\})(?:\s*(?:${
    UNIT_WORDS.filter((w) => w.length > 2).map((w) => w.replace(" ", String.raw`\s+`)).join("|")
  })|\s+(?:${UNIT_WORDS.filter((w) => w.length <= 2).join("|")}))${POWER}\s*$`,
  "i",
);

/** Symbols models write in Unicode, as LaTeX. */
const UNICODE: Record<string, string> = {
  "≤": "\\le ",
  "≥": "\\ge ",
  "≠": "\\ne ",
  "−": "-",
  "×": "\\times ",
  "·": "\\cdot ",
  "÷": "\\div ",
  "π": "\\pi ",
  "∞": "\\infty ",
  "√": "\\sqrt ",
};

/** Text-like commands whose content is kept (or dropped when it is a unit). */
const TEXT_COMMANDS = [
  "\\text",
  "\\textbf",
  "\\textit",
  "\\textnormal",
  "\\textrm",
  "\\textup",
  "\\textsf",
  "\\mbox",
  "\\mathrm",
  "\\mathbf",
  "\\mathit",
  "\\mathsf",
  "\\operatorname",
];

/** Words that mark a percentage after a number (`35 percent`, `35 pct`), read as `\%`. */
const PERCENT_WORD = /(\d|\})\s*(?:percentage|percent|pct)(?![a-zA-Z])/gi;

/**
 * Normalises an answer, gold and prediction alike, so that equal answers written differently
 * compare equal as strings where possible: `\left`/`\right`, thin spaces, `\dfrac`/`\tfrac`/
 * `\cfrac`, `\frac12`, `\sqrt2`, `\text{…}` and units (never touching commands such as
 * `\infty`), degrees, percent signs and words, dollars, thousands separators (`,`, `,\!`, `{,}`
 * and spaces), trailing punctuation, leading zeros, mixed numbers, base subscripts and
 * whitespace. Equations keep their sides: whether `y = 7` stands for `7` is decided when it is
 * compared (see `structure.ts`).
 *
 * @example
 * ```ts
 * import { normalizeAnswer } from "./normalize.ts";
 * if (normalizeAnswer("\\left( 3, \\dfrac{\\pi}{2} \\right)") !== "(3,\\frac{\\pi}{2})") {
 *   throw new Error("left/right and dfrac");
 * }
 * if (normalizeAnswer("025") !== "25") throw new Error("AIME leading zeros");
 * if (normalizeAnswer("35 percent") !== "35") throw new Error("percent word");
 * ```
 */
export function normalizeAnswer(answer: string): string {
  let s = answer.trim().replace(/[≤≥≠−×·÷π∞√]/g, (c) => UNICODE[c]);
  s = s.replace(/^\$+|\$+$/g, "").replace(/^\\\(|\\\)$/g, "").replace(/^\\\[|\\\]$/g, "");
  // A command written with a doubled backslash (`\\frac`, escaped twice) is the command; in a
  // matrix `\\` ends a row (latex2sympy2's command_slash_fix).
  if (!/matrix|array/.test(s)) s = s.replace(/\\\\(?=[a-zA-Z])/g, "\\");
  s = s.replace(/\\(?:left|right|middle|bigl|bigr|Bigl|Bigr|big|Big)(?![a-zA-Z])\s*/g, "");
  s = s.replace(/\\(?:displaystyle|limits)(?![a-zA-Z])/g, "");
  // `5,\!525` and `10{,}000` are thousands, wherever they stand (inside \frac too).
  s = s.replace(/(\d)(?:,\s*\\!|\{,\})\s*(?=\d{3}(?!\d))/g, "$1");
  s = s.replace(/(?<!\\)\\[!,;:> ]/g, "").replace(/~/g, " ");
  s = s.replace(/\\[dtc]frac(?![a-zA-Z])/g, "\\frac");
  s = unwrapText(s);
  s = s.replace(PERCENT_WORD, "$1");
  s = s.replace(/\\\$|\$/g, "");
  s = s.replace(/\\%|%/g, "");
  s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\\circ|°/g, "");
  s = s.replace(/\{,\}/g, ",");
  s = s.replace(/\\mathbb\{R\}|\\R(?![a-zA-Z])/g, "(-\\infty,\\infty)");
  s = stripUnits(s);
  // "x=1 or x=2", "1 and 2": a list of solutions.
  s = s.replace(/\s+(?:or|and)\s+/gi, ",");
  // `2 500` and `1 000 000`: thousands separated by spaces (three digits to a group).
  s = s.replace(
    /(?<![\d.,])([1-9]\d{0,2})((?: \d{3})+)(?![\d.])/g,
    (_, a, b) => a + b.replace(/ /g, ""),
  );
  // `32, 349` is a list: only commas written without a space can be thousands separators.
  const spacedComma = /\d,\s+\d/.test(s);
  // Whitespace goes, except where it ends a command name before a letter (`\ge x`).
  s = s.split(/(\\[a-zA-Z]+\s+(?=[a-zA-Z]))/).map((part, i) =>
    i % 2 ? `${part.trimEnd()} ` : part.replace(/\s+/g, "")
  ).join("");
  s = s.replace(/\\frac(\d)(\d)/g, "\\frac{$1}{$2}")
    .replace(/\\frac(\d)\{/g, "\\frac{$1}{")
    .replace(/\\frac\{([^{}]*)\}(\d)/g, "\\frac{$1}{$2}");
  // \sqrt23 is \sqrt{2}3 in LaTeX: a bare argument is one token.
  s = s.replace(/\\sqrt(\d)/g, "\\sqrt{$1}");
  // A full stop or comma that ends the sentence; an ellipsis (`1, 2, 3, ...`) is kept.
  if (!/\.\.\.$/.test(s)) s = s.replace(/[.;,]+$/, "");
  s = unbrace(s);
  if (!spacedComma && /^-?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, "");
  s = s.replace(/^(-?)0+(\d)/, "$1$2");
  s = s.replace(/^(-?\d+(?:\.\d+)?)_\{?\d+\}?$/, "$1");
  // `1\frac{4}{5}` standing alone (the whole answer, or an element of a list) is a mixed number.
  s = s.replace(
    /(^|[,;(\[=])(-?)(\d+)\\frac\{(\d+)\}\{(\d+)\}(?=$|[,;)\]])/g,
    (_, before, sign, whole, num, den) =>
      `${before}${sign}\\frac{${BigInt(whole) * BigInt(den) + BigInt(num)}}{${den}}`,
  );
  s = s.replace(/^\(([A-Z])\)$/, "$1");
  if (/^\.\d/.test(s)) s = `0${s}`;
  if (/^-\.\d/.test(s)) s = `-0${s.slice(1)}`;
  return s;
}

/** `{1,3}` → `1,3`: braces that group the whole answer are LaTeX grouping, not a set. */
function unbrace(text: string): string {
  if (!text.startsWith("{")) return text;
  const group = braceGroup(text, 0);
  return group && group.end === text.length ? group.content : text;
}

function unwrapText(text: string): string {
  let s = text;
  for (const command of TEXT_COMMANDS) {
    let at = s.indexOf(`${command}{`);
    while (at >= 0) {
      const group = braceGroup(s, at + command.length);
      if (!group) break;
      const inner = group.content.trim();
      const word = inner.replace(/^\((.*)\)$/, "$1").replace(/\s+/g, " ").toLowerCase(); // "(units)" too
      const isUnit = at > 0 && (UNIT_WORDS.includes(word) || word === "m");
      let rest = s.slice(group.end);
      if (isUnit) rest = rest.replace(new RegExp(`^${POWER}`), ""); // inches^2 is a unit too
      // Spaced, so that `12\text{ and }13` still reads as a list.
      s = s.slice(0, at) + (isUnit ? "" : ` ${inner} `) + rest;
      at = s.indexOf(`${command}{`, at);
    }
  }
  return s;
}

function stripUnits(text: string): string {
  let s = text.trim();
  for (let i = 0; i < 3; i++) {
    const next = s.replace(UNIT, "$1").trim();
    if (next === s) break;
    s = next;
  }
  return s;
}
