/**
 * How a trajectory may use code: `text` (told not to; code is never executed), `code` (starts
 * with the paper's trigger so the model writes code), `auto` (the model decides).
 */
export type Mode = "text" | "code" | "auto";

/** Every mode, in the order reports list them. */
export const MODES: readonly Mode[] = ["text", "code", "auto"];

/** The paper's trigger for code mode (AutoCode, Wang et al. 2025). */
export const CODE_TRIGGER =
  "Let's first analyze the problem, then consider if python code could help.";

/** The opening of a text-only solution, the counterpart of the code trigger. */
export const TEXT_TRIGGER = "Let's reason step by step without code.";
