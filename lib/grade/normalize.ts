import { braceGroup, splitTopLevel } from "./braces.ts";

/** Words that name units; dropped after a number ("5.4 cents", "10 \text{ inches}"). */
const UNIT_WORDS = [
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
  "\\mbox",
  "\\mathrm",
  "\\mathbf",
  "\\operatorname",
];

/**
 * Normalises an answer, gold and prediction alike, so that equal answers written differently
 * compare equal as strings where possible: `\left`/`\right`, thin spaces, `\dfrac`, `\frac12`,
 * `\sqrt2`, `\text{…}` and units (never touching commands such as `\infty`), degrees, percent,
 * dollars, thousands separators, `x =` prefixes, trailing punctuation, leading zeros, mixed
 * numbers, base subscripts and whitespace.
 *
 * @example
 * ```ts
 * import { normalizeAnswer } from "./normalize.ts";
 * if (normalizeAnswer("\\left( 3, \\dfrac{\\pi}{2} \\right)") !== "(3,\\frac{\\pi}{2})") {
 *   throw new Error("left/right and dfrac");
 * }
 * if (normalizeAnswer("025") !== "25") throw new Error("AIME leading zeros");
 * ```
 */
export function normalizeAnswer(answer: string): string {
  let s = answer.trim().replace(/[≤≥≠−×·÷π∞√]/g, (c) => UNICODE[c]);
  s = s.replace(/^\$+|\$+$/g, "").replace(/^\\\(|\\\)$/g, "").replace(/^\\\[|\\\]$/g, "");
  s = s.replace(/\\(?:left|right|bigl|bigr|Bigl|Bigr|big|Big)(?![a-zA-Z])\s*/g, "");
  s = s.replace(/\\(?:displaystyle|limits)(?![a-zA-Z])/g, "");
  // `5,\!525` and `10{,}000` are thousands, wherever they stand (inside \frac too).
  s = s.replace(/(\d)(?:,\s*\\!|\{,\})\s*(?=\d{3}(?!\d))/g, "$1");
  s = s.replace(/(?<!\\)\\[!,;:> ]/g, "").replace(/~/g, " ");
  s = s.replace(/\\[dt]frac(?![a-zA-Z])/g, "\\frac");
  s = unwrapText(s);
  s = s.replace(/\\\$|\$/g, "");
  s = s.replace(/\\%|%/g, "");
  s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\\circ|°/g, "");
  s = s.replace(/\{,\}/g, ",");
  s = s.replace(/\\mathbb\{R\}|\\R(?![a-zA-Z])/g, "(-\\infty,\\infty)");
  s = stripUnits(s);
  // "x=1 or x=2", "1 and 2": a list of solutions.
  s = s.replace(/\s+(?:or|and)\s+/gi, ",");
  // Whitespace goes, except where it ends a command name before a letter (`\ge x`).
  s = s.split(/(\\[a-zA-Z]+\s+(?=[a-zA-Z]))/).map((part, i) =>
    i % 2 ? `${part.trimEnd()} ` : part.replace(/\s+/g, "")
  ).join("");
  s = s.replace(/\\frac(\d)(\d)/g, "\\frac{$1}{$2}")
    .replace(/\\frac(\d)\{/g, "\\frac{$1}{")
    .replace(/\\frac\{([^{}]*)\}(\d)/g, "\\frac{$1}{$2}");
  // \sqrt23 is \sqrt{2}3 in LaTeX: a bare argument is one token.
  s = s.replace(/\\sqrt(\d)/g, "\\sqrt{$1}");
  s = s.replace(/[.;,]+$/, "");
  s = stripVariablePrefix(s);
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, "");
  s = s.replace(/^(-?)0+(\d)/, "$1$2");
  s = s.replace(/^(-?\d+(?:\.\d+)?)_\{?\d+\}?$/, "$1");
  const mixed = s.match(/^(-?)(\d+)\\frac\{(\d+)\}\{(\d+)\}$/);
  if (mixed) {
    s = `${mixed[1]}\\frac{${BigInt(mixed[2]) * BigInt(mixed[4]) + BigInt(mixed[3])}}{${mixed[4]}}`;
  }
  s = s.replace(/^\(([A-Z])\)$/, "$1");
  if (/^\.\d/.test(s)) s = `0${s}`;
  if (/^-\.\d/.test(s)) s = `-0${s.slice(1)}`;
  return s;
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
      s = s.slice(0, at) + (isUnit ? "" : inner) + rest;
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

/**
 * `x=3` → `3`, `y=2x+1` → `2x+1`, `2x+1=y` → `2x+1`, `\theta=\frac{\pi}{2}` → …; a list
 * `x=1,x=2` → `1,2`; `x=1,y=2` → the point `(1,2)` (variables in alphabetical order); not
 * `x+y=3`.
 */
function stripVariablePrefix(text: string): string {
  const items = splitTopLevel(text, ",");
  if (items.length > 1) {
    const pairs = items.map((item) => item.match(/^([a-zA-Z])=([^=<>]+)$/));
    const named = pairs.filter((m) => m !== null).map((m) => m![1]);
    // `x=-2,1` and `x=1,x=2`: solutions of one variable.
    if (named.length > 0 && named.every((n) => n === named[0])) {
      return pairs.map((m, i) => m ? m[2] : items[i]).join(",");
    }
    if (pairs.every((m) => m !== null)) {
      const names = pairs.map((m) => m![1]);
      if (new Set(names).size === names.length) {
        const sorted = [...pairs].sort((a, b) => a![1].localeCompare(b![1]));
        return `(${sorted.map((m) => m![2]).join(",")})`;
      }
    }
    return text;
  }
  return stripSingle(text);
}

function stripSingle(text: string): string {
  const mirrored = text.match(/^([^=<>]+)=([a-zA-Z])$/);
  if (mirrored && !/^[a-zA-Z]$/.test(mirrored[1])) return mirrored[1];
  const member = text.match(/^[a-zA-Z]\\in(.+)$/);
  if (member) return member[1];
  const m = text.match(/^([a-zA-Z]|\\[a-zA-Z]+)(?:_\{?\w+\}?)?=([^=]+)$/);
  if (!m || /[<>]|\\[lg]eq?(?![a-zA-Z])/.test(m[2])) return text;
  if (/,[a-zA-Z]=/.test(m[2])) return text;
  return m[2];
}
