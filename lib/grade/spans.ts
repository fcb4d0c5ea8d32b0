/**
 * Where the formulas and numbers of a text are, as Math-Verify's extraction regexes find them
 * (parser.py: `make_latex_env_pattern`, `lazy_latex_regex`, `lazy_expr_regex`).
 */
import { braceGroup } from "./braces.ts";

/** A formula or number found in a text: its span and the answer text it stands for. */
export interface Span {
  start: number;
  end: number;
  text: string;
  kind: "math" | "number";
}

/**
 * Math environments, tried in this order at each position: `$$…$$` and `\[…\]` (may span
 * lines), `$…$` and `\(…\)` (one line), `[…]` between spaces (one line, no comma, so that
 * intervals are left alone), and a plain `\frac{a}{b}` of two numbers.
 */
const ENV = new RegExp(
  [
    String.raw`(?<!\\)\$\$((?:[^$]|\$(?!\$))+?)(?<!\\)\$\$`,
    String.raw`(?<!\\)\\\[((?:[^\\]|\\(?!\]))+?)(?<!\\)\\\]`,
    String.raw`(?<![\\\d])\$((?:\\[$]|[^\n$])+?)(?<!\\)\$`,
    String.raw`(?<!\\)\\\(((?:[^\\\n]|\\(?!\)))+?)(?<!\\)\\\)`,
    String.raw`(?<=\s)\[([^\n\]\[,]+?)\](?=\s)`,
    String.raw`(-?\\frac\{-?\d+(?:[.,]\d+)?\}\{-?\d+(?:[.,]\d+)?\})`,
  ].join("|"),
  "g",
);

/** A percentage after a formula: `$28$ %`, `$28$ percent`. */
const PERCENT = /^\s*(?:\\?%|[Pp]ercent(?:age)?(?![a-zA-Z])|[Pp]ct(?![a-zA-Z]))/;

/** What joins formulas into one answer: `$3$ and $-4$`, `$1$, $2$, or $5$`. */
const JOIN = /^\s*(?:,?\s*and|,?\s*or|,)\s*$/;

/** At most this many formulas joined into one answer (Math-Verify's five "next" groups + 1). */
const MAX_JOINED = 6;

/**
 * The formulas of a text, left to right; formulas joined by "and", "or" or commas make one
 * span whose text lists them all (a set).
 *
 * @example
 * ```ts
 * import { mathSpans } from "./spans.ts";
 * const spans = mathSpans("the roots are $3$ and $-4$.");
 * if (spans.length !== 1 || spans[0].text !== "3,-4") throw new Error("one set");
 * ```
 */
export function mathSpans(text: string): Span[] {
  const single: Span[] = [];
  for (const m of text.matchAll(ENV)) {
    const content = m.slice(1).find((g) => g !== undefined)!.trim();
    let end = m.index! + m[0].length;
    let body = boxedContents(content) ?? content;
    const percent = text.slice(end).match(PERCENT);
    if (percent) {
      end += percent[0].length;
      if (!/%$/.test(body)) body += "\\%";
    }
    single.push({ start: m.index!, end, text: body, kind: "math" });
  }
  const joined: Span[] = [];
  for (const span of single) {
    const last = joined.at(-1);
    const parts = last ? (last as Span & { parts?: number }).parts ?? 1 : 0;
    if (last && parts < MAX_JOINED && JOIN.test(text.slice(last.end, span.start))) {
      joined[joined.length - 1] = Object.assign({
        start: last.start,
        end: span.end,
        text: `${last.text},${span.text}`,
        kind: "math" as const,
      }, { parts: parts + 1 });
    } else joined.push(span);
  }
  return joined.map(({ start, end, text, kind }) => ({ start, end, text, kind }));
}

/** The boxes inside a formula, joined (Math-Verify normalises a formula with boxed="all"). */
function boxedContents(content: string): string | undefined {
  const found: string[] = [];
  for (const m of content.matchAll(/\\(?:boxed|fbox)\s*(?=\{)/g)) {
    const group = braceGroup(content, m.index! + m[0].length);
    if (group && group.content.trim() !== "") found.push(group.content.trim());
  }
  return found.length ? found.join(",") : undefined;
}

const CURRENCY = "$€£¥₹₽₪₩₫฿";

/**
 * A number as Math-Verify's `number_re` reads it: thousands groups (`1,234.5`, `2 500`), a
 * decimal point or comma (`12.75`, `12,75`), a leading dot (`.75`), or an integer; then a
 * percent sign or word. It must follow the start, a space or `=` (a currency sign may come
 * between), so `QX4B` holds no number.
 */
const NUMBER = new RegExp(
  String.raw`(?<=^|\s|=)(?:\*\*)?[${CURRENCY}]?` +
    String
      .raw`(?<![\d])(?:(-?[1-9]\d{0,2}(?:[ ,]\d{3})+)(\.\d+)?|(-?\d+)([.,]\d+)|(\.\d+)|(-?\d+))` +
    String.raw`(\s*(?:%|[Pp]ercent(?:age)?(?![a-zA-Z])|[Pp]ct(?![a-zA-Z])))?`,
  "g",
);

/**
 * Runs of the characters of a plain expression (`2/3`, `(1/2) * (4/3)`). Math-Verify's `expr_re`
 * nests two such classes; matching a run once and trimming it gives the same expressions
 * without backtracking on long runs of digits and spaces.
 */
const EXPRESSION_RUN = /[\d.\s+\-*×/^()÷]+/g;
const EXPRESSION_START = /^-?\(?-?\d/;
const EXPRESSION_START_AT = /-?\(?-?\d/y;
const OPERATOR = /[+\-*×/^()÷]/;

function expressionSpans(text: string): Span[] {
  const found: Span[] = [];
  for (const m of text.matchAll(EXPRESSION_RUN)) {
    // It starts after the start of the text, a space or `=` (the first such place in the run),
    // and ends before punctuation.
    let from = -1;
    for (let k = 0; k < m[0].length; k++) {
      const at = m.index! + k;
      const before = at === 0 ? " " : text[at - 1];
      if (!/[\s=]/.test(before) || /\s/.test(text[at])) continue;
      EXPRESSION_START_AT.lastIndex = at;
      if (EXPRESSION_START_AT.test(text)) {
        from = k;
        break;
      }
    }
    if (from < 0) continue;
    const start = m.index! + from;
    const body = m[0].slice(from).replace(/[\s.]+$/, "");
    const after = text[start + body.length];
    if (!OPERATOR.test(body.replace(EXPRESSION_START, ""))) continue;
    if (after !== undefined && !/[.,:\s)$*]/.test(after)) continue;
    found.push({ start, end: start + body.length, text: body, kind: "number" });
  }
  return found;
}

/**
 * The numbers and plain expressions of a text, left to right, each as answer text: separators
 * dropped, a decimal comma as a point, a percentage with `%`.
 *
 * @example
 * ```ts
 * import { numberSpans } from "./spans.ts";
 * const texts = numberSpans("Soucis : 2,74 $ and QX4B, then 1 000 or 35 percent").map((s) => s.text);
 * if (texts.join(" ") !== "2.74 1000 35%") throw new Error(texts.join(" "));
 * ```
 */
export function numberSpans(text: string): Span[] {
  const found: Span[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const [, thousands, thousandsDecimal, integer, decimal, leadingDot, plain, percent] = m;
    const value = thousands !== undefined
      ? thousands.replace(/[ ,]/g, "") + (thousandsDecimal ?? "")
      : integer !== undefined
      ? integer + decimal.replace(",", ".")
      : leadingDot ?? plain;
    const start = m.index! + m[0].search(/[-.\d]/);
    found.push({
      start,
      end: m.index! + m[0].length,
      text: percent ? `${value}%` : value,
      kind: "number",
    });
  }
  found.push(...expressionSpans(text));
  // At one start an expression comes before the number it begins with (Math-Verify tries
  // `expr` before `number`).
  return found.sort((a, b) => a.start - b.start || b.end - a.end);
}
