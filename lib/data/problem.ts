import { z } from "zod";

/** One math problem with its gold answer, as every dataset yields it. */
export const Problem = z.object({
  /** Unique within the dataset; prefixed by the dataset (`math500-017`) so unique across them. */
  id: z.string().min(1),
  problem: z.string().min(1),
  /** Gold answer as written by the source (LaTeX or an integer); graders normalise it. */
  answer: z.string().min(1),
  /** Name of the dataset the problem came from. */
  source: z.string(),
  /** Every other field of the source row: subject, level, solution, unique_id, ... */
  metadata: z.record(z.string(), z.unknown()),
});

/** One math problem with its gold answer. */
export type Problem = z.infer<typeof Problem>;
