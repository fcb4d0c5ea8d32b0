/**
 * The synthetic curriculum of the embedded default: seeded problems across skills and levels
 * where plain reasoning suffices for a small model at low levels and code is needed at high ones.
 *
 * @module
 */
export * from "./generate.ts";
export { type Item, type Skill, skills } from "./skills.ts";
