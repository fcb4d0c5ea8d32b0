import { FENCE_TAGS, type Language, languageOfFence } from "../sandbox/languages.ts";
/** A fenced code block the model wrote. */
export interface CodeBlock {
  language: Language;
  code: string;
}

const TAGS = FENCE_TAGS.join("|");
const FENCE = new RegExp(`^\`\`\`(${TAGS})[ \\t]*\\n([\\s\\S]*?)\`\`\`\\s*$`);
const OPENING = new RegExp(`\`\`\`(?:${TAGS})[ \\t]*\\n`, "g");

/**
 * The code block that ends the text, if any: the model stopped right after closing a ```python
 * (or ```javascript) fence, which is where the TIR loop runs it and appends its output.
 */
export function trailingCodeBlock(text: string): CodeBlock | undefined {
  // Match from the last opening fence, so an earlier block is never taken for the trailing one.
  const openings = [...text.matchAll(OPENING)];
  if (openings.length === 0) return undefined;
  const m = text.slice(openings[openings.length - 1].index).match(FENCE);
  if (!m) return undefined;
  const language = languageOfFence(m[1])!;
  return { language, code: m[2] };
}

/** The block appended after executed code, in the format TIR models are trained on. */
export function outputBlock(output: string): string {
  const body = output.endsWith("\n") ? output : `${output}\n`;
  return `\`\`\`output\n${body}\`\`\`\n`;
}
