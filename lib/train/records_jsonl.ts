import { z } from "zod";
import { type CuratedRow, curatedRowRecords, decisionRecords } from "./curated_records.ts";
import type { TrainRecord } from "./records.ts";

/** A training record as a JSONL row (the {@linkcode TrainRecord} fields). */
export const trainRecordSchema = z.object({
  problemId: z.string().min(1).describe("query id; advantages are whitened within a query"),
  prompt: z.string().describe("prompt text (masked out of every loss)"),
  completion: z.string().describe("generated text; ```output bodies are masked"),
  reward: z.number().describe("scalar reward of the trajectory"),
  imitate: z.boolean().default(false).describe("part of the NLL term"),
  reinforce: z.boolean().default(true).describe("part of the policy-gradient term"),
  decide: z.boolean().optional().describe("part of the decision term: the completion is a trigger"),
  logprobs: z.array(z.number()).nullable().optional().describe(
    "behaviour log-probs of the generated tokens",
  ),
  tokens: z.object({
    promptIds: z.array(z.number().int()),
    responseIds: z.array(z.number().int()),
    responseMask: z.array(z.number().int().min(0).max(1)),
    responseLogprobs: z.array(z.number().nullable()),
  }).nullable().optional().describe("the trajectory's ids, mask and behaviour log-probs"),
  openWith: z.string().optional().describe("with tokens: trigger text the prompt ends with"),
  eos: z.boolean().optional().describe("end the sequence with end-of-sequence"),
  mode: z.string().optional().describe("rollout mode: text | code | auto"),
  usedCode: z.boolean().optional().describe("whether the trajectory executed code"),
});

const curatedRowSchema = z.object({
  problem_id: z.string().min(1),
  mode: z.string(),
  prompt: z.string(),
  completion: z.string(),
  reward: z.number().nullable(),
  logprobs: z.array(z.number()).nullable().optional().transform((v) => v ?? null),
  prompt_ids: z.array(z.number().int()).nullable().optional(),
  response_ids: z.array(z.number().int()).nullable().optional(),
  response_mask: z.array(z.number().int()).nullable().optional(),
  response_logprobs: z.array(z.number().nullable()).nullable().optional(),
  imitate: z.boolean(),
  used_code: z.boolean().nullable().optional(),
});

const pairSchema = z.object({
  problem_id: z.string().min(1),
  prompt: z.string(),
  completion: z.string(),
  reward: z.number().nullable().optional(),
  mode: z.string().optional(),
});

/**
 * Parses training records from JSONL text, all or nothing (the first bad line throws with its
 * number). Three row shapes are read: {@linkcode TrainRecord} rows (`problemId`, camelCase);
 * rows of a curate run's `tocode` export (`curated_rollouts`: reinforced, imitated under the
 * `auto` prompt when drawn, and one decision record per drawn query and mode); prompt/completion text pairs (imitated). The trainer schemas' exports
 * (verl, trl, openrlhf) hold chat messages for other frameworks and are not read here.
 */
export function parseRecords(text: string, options: { path?: string } = {}): TrainRecord[] {
  const where = options.path ? ` (${options.path})` : "";
  const records: TrainRecord[] = [];
  const curatedRows: CuratedRow[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const fail = (why: string): never => {
      throw new SyntaxError(`Cannot read training records: line ${i + 1} ${why}${where}`);
    };
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (error) {
      fail(`is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof row !== "object" || row === null || Array.isArray(row)) fail("is not an object");
    const fields = row as Record<string, unknown>;
    const [schema, convert] = "problemId" in fields
      ? [trainRecordSchema, (r: z.infer<typeof trainRecordSchema>) => [r as TrainRecord]]
      : "imitate" in fields
      ? [curatedRowSchema, (r: CuratedRow) => (curatedRows.push(r), curatedRowRecords(r))]
      : [pairSchema, (r: z.infer<typeof pairSchema>): TrainRecord[] => [{
        problemId: r.problem_id,
        prompt: r.prompt,
        completion: r.completion,
        reward: r.reward ?? 1,
        imitate: true,
        reinforce: false,
        eos: true,
        mode: r.mode,
      }]];
    const parsed = (schema as z.ZodType).safeParse(row);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      fail(`has a bad "${issue.path.join(".")}": ${issue.message}`);
    }
    records.push(...(convert as (r: unknown) => TrainRecord[])(parsed.data));
  });
  records.push(...decisionRecords(curatedRows));
  if (records.length === 0) throw new RangeError(`Cannot read training records: none${where}`);
  return records;
}

/** Reads training records from a JSONL file (see {@linkcode parseRecords}). */
export async function readRecords(path: string): Promise<TrainRecord[]> {
  return parseRecords(await Deno.readTextFile(path), { path });
}
