/**
 * The languages the sandbox runs, once: each with the fence tags a model may open its code block
 * with. Everything that names a language (the pool, the protocol, `--lang`, the TIR loop's code
 * blocks) reads this registry.
 */
export const languages = {
  python: { fences: ["python", "py"] },
  javascript: { fences: ["javascript", "js"] },
} as const satisfies Record<string, { fences: readonly string[] }>;

/** A language the sandbox runs. */
export type Language = keyof typeof languages;

/** Every language, in the registry's order. */
export const LANGUAGES = Object.keys(languages) as [Language, ...Language[]];

/** The language a code fence's tag names (`py` → python), or undefined. */
export function languageOfFence(tag: string): Language | undefined {
  return LANGUAGES.find((l) => (languages[l].fences as readonly string[]).includes(tag));
}

/** Every fence tag of every language, for matching code blocks. */
export const FENCE_TAGS: readonly string[] = LANGUAGES.flatMap((l) => languages[l].fences);
