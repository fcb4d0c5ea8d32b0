/** The content of the last \boxed{…} in a text, braces matched; undefined when there is none. */
export function lastBoxed(text: string): string | undefined {
  const start = text.lastIndexOf("\\boxed{");
  if (start < 0) return undefined;
  let depth = 0;
  for (let i = start + "\\boxed".length; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) {
      return text.slice(start + "\\boxed{".length, i).trim();
    }
  }
  return undefined;
}
