import { z } from "zod";

/**
 * The dataset flags every task that reads problems shares; spread `.shape` into a task's schema:
 * `z.object({ ...selectionArgs.shape, ... })`.
 */
export const selectionArgs = z.object({
  dataDir: z.string().optional().describe(
    "folder with the dataset JSONL files (else $TOCODE_DATA, else the user cache)",
  ),
  field: z.array(z.string()).default([]).describe(
    "where a file keeps our fields, e.g. problem=question or answer=solution (repeatable)",
  ),
  limit: z.number().int().positive().optional().describe("use at most this many problems"),
  offset: z.number().int().nonnegative().default(0).describe("skip this many problems first"),
  filter: z.array(z.string()).default([]).describe(
    "keep problems whose field matches, e.g. level=5 or subject=Algebra,Geometry",
  ),
  shuffle: z.boolean().default(false).describe("shuffle the problems (seeded) before offset/limit"),
  seed: z.number().int().default(0).describe("seed for shuffling and sampling"),
});
