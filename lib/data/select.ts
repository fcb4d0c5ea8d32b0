import type { Problem } from "./problem.ts";
import { seededRandom } from "./seeded_random.ts";

/** Which problems of a dataset a run uses. Applied in order: filter, shuffle, offset, limit. */
export interface Selection {
  /** `field=value` (or `field=a,b` for any of several); all filters must match. */
  filter?: string[];
  shuffle?: boolean;
  seed?: number;
  offset?: number;
  limit?: number;
}

/** Selects problems by `--filter`, `--shuffle --seed`, `--offset` and `--limit`. */
export function selectProblems(problems: readonly Problem[], selection: Selection): Problem[] {
  let out = [...problems];
  for (const filter of selection.filter ?? []) {
    const eq = filter.indexOf("=");
    if (eq <= 0) {
      throw new RangeError(`Cannot select problems: filter "${filter}" is not field=value`);
    }
    const field = filter.slice(0, eq).trim();
    const wanted = new Set(filter.slice(eq + 1).split(",").map((v) => v.trim()));
    if (!problems.some((p) => fieldOf(p, field) !== undefined)) {
      throw new RangeError(`Cannot select problems: no problem has a field "${field}" (--filter)`);
    }
    out = out.filter((p) => wanted.has(String(fieldOf(p, field))));
  }
  if (selection.shuffle) out = seededRandom(selection.seed ?? 0).shuffle(out);
  const offset = selection.offset ?? 0;
  const end = selection.limit === undefined ? undefined : offset + selection.limit;
  return out.slice(offset, end);
}

function fieldOf(problem: Problem, field: string): unknown {
  if (field === "id" || field === "answer" || field === "source") return problem[field];
  return problem.metadata[field];
}
