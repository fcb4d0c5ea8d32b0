import { type Estimate, meanWithInterval } from "./confidence.ts";
import { majorityAtK } from "./majority.ts";
import { passAtK } from "./pass_at_k.ts";

/** One graded sample, as the summary needs it (built from a rollouts row and its problem). */
export interface ScoredSample {
  problemId: string;
  dataset: string;
  subject?: string | null;
  level?: number | string | null;
  sampleIdx: number;
  /** null when the sample failed (an error): it counts in no accuracy figure. */
  correct: boolean | null;
  /** Normalised answer for majority voting; null when none was extracted. */
  answerKey: string | null;
  usedCode: boolean;
  codeCalls: number;
  /** Code executions that ended in error, timeout, kill or limit. */
  failedCalls: number;
  completionTokens: number;
  latencyMs: number;
  error: string | null;
  /** Why the trajectory ended (stop, eos, length, budget, call_limit); null for errors. */
  finishReason?: string | null;
}

/** Metrics of one group of problems (all, one dataset, one subject, one level). */
export interface GroupSummary {
  group: string;
  problems: number;
  samples: number;
  /** Mean per-problem pass@1 with a 95% interval. */
  accuracy: Estimate;
  /** Unbiased pass@k per k (only k <= the smallest sample count of the group's problems). */
  passAtK: Record<string, number>;
  /** maj@k per k over the first k samples. */
  majAtK: Record<string, number>;
  codeRate: number;
  meanCodeCalls: number;
  /** Share of code executions that failed or timed out. */
  failedCallRate: number;
  meanTokens: number;
  meanLatencyMs: number;
  /** Samples that failed (server, sandbox, grader, prompt too long): not counted as wrong. */
  errors: number;
  /** Samples cut by the token budget (finish reason length or budget). */
  truncated: number;
}

/** Options of {@linkcode summarize}. */
export interface SummarizeOptions {
  /** k values for pass@k and maj@k (each capped by the samples per problem). */
  ks?: number[];
}

/**
 * Summarises graded samples overall and by dataset, subject and level: accuracy with a 95%
 * interval, pass@k (unbiased), maj@k, code rate, failed executions, tokens, latency, errors and
 * truncations. Failed samples (errors) are left out of every accuracy figure, so an outage never
 * reads as wrong answers; a problem with no graded sample counts in none.
 */
export function summarize(
  samples: readonly ScoredSample[],
  options: SummarizeOptions = {},
): GroupSummary[] {
  const groups = new Map<string, ScoredSample[]>();
  const add = (name: string, sample: ScoredSample) => {
    const list = groups.get(name) ?? [];
    list.push(sample);
    groups.set(name, list);
  };
  for (const s of samples) {
    add("all", s);
    add(`dataset=${s.dataset}`, s);
    if (s.subject != null) add(`subject=${s.subject}`, s);
    if (s.level != null) add(`level=${s.level}`, s);
  }
  const order = (name: string) =>
    ["all", "dataset", "subject", "level"].indexOf(name.split("=")[0]);
  const names = [...groups.keys()].sort((a, b) =>
    order(a) - order(b) || a.localeCompare(b, "en", { numeric: true })
  );
  return names.map((group) => summarizeGroup(group, groups.get(group)!, options.ks ?? [1]));
}

function summarizeGroup(group: string, all: ScoredSample[], ks: number[]): GroupSummary {
  const samples = all.filter((s) => s.error === null);
  const byProblem = new Map<string, ScoredSample[]>();
  for (const s of samples) {
    const key = `${s.dataset}\u0000${s.problemId}`;
    byProblem.set(key, [...(byProblem.get(key) ?? []), s]);
  }
  const perProblem = [...byProblem.values()].map((list) =>
    list.sort((a, b) => a.sampleIdx - b.sampleIdx)
  );
  const minSamples = perProblem.length ? Math.min(...perProblem.map((l) => l.length)) : 0;
  const pass: Record<string, number> = {};
  const maj: Record<string, number> = {};
  for (const k of ks.filter((k) => k >= 1 && k <= minSamples)) {
    pass[k] = mean(perProblem.map((l) => passAtK(l.length, countCorrect(l), k)));
    maj[k] = mean(
      perProblem.map((l) =>
        majorityAtK(l.map((s) => ({ key: s.answerKey, correct: s.correct === true })), k) ? 1 : 0
      ),
    );
  }
  const calls = sum(samples.map((s) => s.codeCalls));
  return {
    group,
    problems: perProblem.length,
    samples: all.length,
    accuracy: meanWithInterval(perProblem.map((l) => countCorrect(l) / l.length)),
    passAtK: pass,
    majAtK: maj,
    codeRate: mean(samples.map((s) => (s.usedCode ? 1 : 0))),
    meanCodeCalls: samples.length ? calls / samples.length : NaN,
    failedCallRate: calls ? sum(samples.map((s) => s.failedCalls)) / calls : 0,
    meanTokens: mean(samples.map((s) => s.completionTokens)),
    meanLatencyMs: mean(samples.map((s) => s.latencyMs)),
    errors: all.length - samples.length,
    truncated: samples.filter((s) => s.finishReason === "length" || s.finishReason === "budget")
      .length,
  };
}

function countCorrect(samples: ScoredSample[]): number {
  return samples.filter((s) => s.correct === true).length;
}

function sum(values: number[]): number {
  return values.reduce((s, v) => s + v, 0);
}

function mean(values: number[]): number {
  return values.length ? sum(values) / values.length : NaN;
}
