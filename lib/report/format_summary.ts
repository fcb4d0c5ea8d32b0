import { formatTable } from "./format_table.ts";
import type { GroupSummary } from "./summarize.ts";

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : "-");

/** The summary table printed at the end of an eval: one row per group, the key metrics. */
export function formatSummary(groups: readonly GroupSummary[]): string {
  const ks = [...new Set(groups.flatMap((g) => Object.keys(g.passAtK).map(Number)))]
    .filter((k) => k > 1)
    .sort((a, b) => a - b);
  const header = [
    "group",
    "problems",
    "samples",
    "accuracy",
    "95% CI",
    ...ks.map((k) => `pass@${k}`),
    ...ks.map((k) => `maj@${k}`),
    "code rate",
    "calls",
    "failed calls",
    "tokens",
    "truncated",
    "errors",
  ];
  const rows = groups.map((g) => [
    g.group,
    g.problems,
    g.samples,
    pct(g.accuracy.mean),
    `${pct(g.accuracy.low)}-${pct(g.accuracy.high)}`,
    ...ks.map((k) => pct(g.passAtK[k] ?? NaN)),
    ...ks.map((k) => pct(g.majAtK[k] ?? NaN)),
    pct(g.codeRate),
    Number(g.meanCodeCalls.toFixed(2)),
    pct(g.failedCallRate),
    Math.round(g.meanTokens),
    g.truncated,
    g.errors,
  ]);
  return formatTable([header, ...rows]);
}
