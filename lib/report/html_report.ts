import { getRun, type RunRecord } from "../store/runs.ts";
import type { Store } from "../store/store.ts";
import { codeSelectionAccuracy } from "./code_selection.ts";
import { readScoredSamples, readSelectionEvidence } from "./read_samples.ts";
import {
  type ChartSpec,
  METHOD_COLORS,
  methodColor,
  NEUTRAL_COLORS,
  neutralColor,
  renderChart,
} from "./render_chart.ts";
import { type GroupSummary, summarize } from "./summarize.ts";

/** Options of {@linkcode buildReport}. */
export interface ReportOptions {
  title?: string;
}

/** One section of the report: a heading, tables (HTML) and charts (SVG). */
interface Section {
  title: string;
  parts: string[];
}

/**
 * Builds a self-contained HTML report (inline SVG charts, no scripts, opens offline) for runs of
 * eval, curate, train or demo found in the store.
 */
export async function buildReport(
  store: Store,
  runIds: readonly string[],
  options: ReportOptions = {},
): Promise<string> {
  const sections: Section[] = [];
  for (const id of runIds) {
    const run = await getRun(store, id);
    if (!run) throw new Error(`Cannot build report: no run "${id}" in the store (${store.path})`);
    sections.push(await sectionFor(store, run));
  }
  const curateRuns = [];
  for (const id of runIds) if ((await getRun(store, id))?.task === "curate") curateRuns.push(id);
  if (curateRuns.length > 1) sections.push(await codeRateAcrossRuns(store, curateRuns));
  return page(options.title ?? "tocode report", sections);
}

async function sectionFor(store: Store, run: RunRecord): Promise<Section> {
  const head = `<p class="meta">${
    escape(
      `${run.task} · ${run.status} · started ${run.started_at}${
        run.git_revision ? ` · rev ${run.git_revision}` : ""
      }`,
    )
  }</p>`;
  const section: Section = { title: `${run.task} run ${run.id}`, parts: [head] };
  if (run.task === "eval") section.parts.push(...await evalParts(store, run, runColor(run.id)));
  else if (run.task === "curate") section.parts.push(...await curateParts(store, run.id));
  else if (run.task === "demo") section.parts.push(...await demoParts(store, run.id));
  section.parts.push(...await metricParts(store, run.id, run.task));
  return section;
}

/**
 * The colour of a run's bars: its method's when it belongs to a demo (`<demo>/<method>/...`),
 * else a neutral one.
 */
function runColor(runId: string): string {
  const method = runId.split("/")[1];
  return Object.hasOwn(METHOD_COLORS, method)
    ? METHOD_COLORS[method as keyof typeof METHOD_COLORS]
    : NEUTRAL_COLORS[0];
}

async function evalParts(store: Store, run: RunRecord, color: string): Promise<string[]> {
  const mode = typeof run.args.mode === "string" ? run.args.mode : undefined;
  const samples = await readScoredSamples(store, run.id, { mode });
  if (samples.length === 0) return ["<p>No samples yet.</p>"];
  const perProblem = Math.min(
    ...Object.values(Object.groupBy(samples, (s) => s.problemId)).map((l) => l!.length),
  );
  const ks = [1, 2, 4, 8, 16, 32, 64].filter((k) => k <= perProblem);
  const groups = summarize(samples, { ks });
  const parts = [groupTable(groups)];
  const evidence = await readSelectionEvidence(store, run.id);
  const selection = codeSelectionAccuracy(evidence);
  if (selection.problems > 0) {
    parts.push(
      `<p>Code-selection accuracy: <b>${
        pct(selection.accuracy)
      }</b> over ${selection.decisions} decisions on ${selection.problems} problems with a reference decision.</p>`,
    );
  }
  const byPrefix = (prefix: string) =>
    groups.filter((g) => g.group.startsWith(prefix)).map((g) => ({
      group: g.group.slice(prefix.length),
      accuracy: g.accuracy.mean,
      low: g.accuracy.low,
      high: g.accuracy.high,
      codeRate: g.codeRate,
    }));
  for (const [prefix, label] of [["level=", "level"], ["subject=", "subject"]] as const) {
    const values = byPrefix(prefix);
    if (values.length > 1) {
      parts.push(await renderChart(accuracyWithInterval(values, label, color)));
    }
  }
  const all = groups.find((g) => g.group === "all")!;
  if (ks.length > 1) {
    const values = ks.flatMap((k) => [
      { k, value: all.passAtK[k], metric: "pass@k" },
      { k, value: all.majAtK[k], metric: "maj@k" },
    ]);
    parts.push(
      await renderChart({
        title: "pass@k and maj@k",
        data: { values },
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "k", type: "quantitative", scale: { type: "log", base: 2 } },
          y: { field: "value", type: "quantitative", scale: { domain: [0, 1] }, title: "share" },
          color: neutralColor("metric"),
        },
      }),
    );
  }
  return parts;
}

function accuracyWithInterval(
  values: { group: string; accuracy: number; low: number; high: number }[],
  label: string,
  color: string,
): ChartSpec {
  return {
    title: `accuracy by ${label} (95% CI)`,
    data: { values },
    encoding: { x: { field: "group", type: "nominal", title: label, sort: null } },
    layer: [
      {
        mark: { type: "bar", color },
        encoding: {
          y: { field: "accuracy", type: "quantitative", scale: { domain: [0, 1] } },
        },
      },
      {
        mark: { type: "errorbar", ticks: true, color: "#222" },
        encoding: {
          y: { field: "low", type: "quantitative", title: "accuracy" },
          y2: { field: "high" },
        },
      },
    ],
  };
}

async function curateParts(store: Store, runId: string): Promise<string[]> {
  const rows = await store.query<{
    problem_id: string;
    q_text: number;
    q_code: number;
    pi_code: number;
    s_code: number;
    kept: boolean;
    level: string | null;
  }>(
    `SELECT q.problem_id, q_text, q_code, pi_code, s_code, kept,
        json_extract_string(p.metadata, '$.level') AS level
     FROM curate_queries q LEFT JOIN problems p ON p.id = q.problem_id
     WHERE run_id = $1`,
    [runId],
  );
  if (rows.length === 0) return ["<p>No E-step statistics yet.</p>"];
  const kept = rows.filter((r) => r.kept);
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / Math.max(1, xs.length);
  const table = htmlTable([
    ["queries", "kept", "mean Q(text)", "mean Q(code)", "mean pi(code)", "code chosen"],
    [
      rows.length,
      kept.length,
      mean(kept.map((r) => r.q_text)).toFixed(3),
      mean(kept.map((r) => r.q_code)).toFixed(3),
      mean(rows.map((r) => r.pi_code)).toFixed(3),
      pct(mean(kept.map((r) => (r.s_code > 0.5 ? 1 : 0)))),
    ],
  ]);
  const parts = [table];
  parts.push(
    await renderChart({
      title: "per-query code-invocation rate pi(code|x)",
      data: { values: rows },
      // An E-step is the EM loop's (autocode) by definition.
      mark: { type: "bar", color: METHOD_COLORS.autocode },
      encoding: {
        x: { field: "pi_code", bin: { maxbins: 10 }, title: "pi(code|x)" },
        y: { aggregate: "count", title: "queries" },
      },
    }),
  );
  if (rows.some((r) => r.level !== null)) {
    parts.push(
      await renderChart({
        title: "Q by mode and level",
        data: { values: rows },
        transform: [{ fold: ["q_text", "q_code"], as: ["mode", "Q"] }],
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "level", type: "ordinal" },
          y: { aggregate: "mean", field: "Q", type: "quantitative", scale: { domain: [0, 1] } },
          color: neutralColor("mode"),
        },
      }),
    );
  }
  return parts;
}

async function codeRateAcrossRuns(store: Store, runIds: string[]): Promise<Section> {
  const rows = await store.query<{ run_id: string; pi_code: number }>(
    `SELECT run_id, pi_code FROM curate_queries WHERE run_id IN (${
      runIds.map((_, i) => `$${i + 1}`).join(", ")
    })`,
    runIds,
  );
  const svg = await renderChart({
    title: "distribution of per-query code-invocation rates across runs",
    data: { values: rows },
    mark: { type: "bar", opacity: 0.7 },
    encoding: {
      x: { field: "pi_code", bin: { maxbins: 10 }, title: "pi(code|x)" },
      y: { aggregate: "count", title: "queries", stack: null },
      color: { ...neutralColor("run_id", "run"), sort: runIds },
    },
  });
  return { title: "code-invocation rates across iterations", parts: [svg] };
}

async function demoParts(store: Store, runId: string): Promise<string[]> {
  const rows = await store.query<{ step: number; name: string; value: number }>(
    "SELECT step, name, value FROM metrics WHERE run_id = $1 AND contains(name, '/') ORDER BY step, name",
    [runId],
  );
  if (rows.length === 0) return ["<p>No iterations yet.</p>"];
  const byKey = new Map<string, Record<string, number | string>>();
  for (const r of rows) {
    const [method, metric] = r.name.split("/");
    const key = `${method}/${r.step}`;
    const entry = byKey.get(key) ?? { method, iteration: r.step };
    entry[metric] = r.value;
    byKey.set(key, entry);
  }
  const values = [...byKey.values()];
  const metrics = [...new Set(rows.map((r) => r.name.split("/")[1]))];
  const table = htmlTable([
    ["method", "iteration", ...metrics],
    ...values.map((v) => [
      String(v.method),
      String(v.iteration),
      ...metrics.map((m) => (typeof v[m] === "number" ? formatValue(m, v[m] as number) : "")),
    ]),
  ]);
  const parts = [table];
  for (
    const [y, title] of [["accuracy", "test accuracy"], [
      "selection_accuracy",
      "code-selection accuracy",
    ], ["code_rate", "code-invocation rate"]]
  ) {
    if (!metrics.includes(y) || !metrics.includes("rollouts")) continue;
    parts.push(
      await renderChart({
        title: `${title} against rollouts spent`,
        data: { values },
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "rollouts", type: "quantitative", title: "rollouts spent" },
          y: { field: y, type: "quantitative", scale: { domain: [0, 1] }, title },
          color: methodColor(),
        },
      }),
    );
  }
  if (metrics.includes("code_rate_text_ref") && metrics.includes("rollouts")) {
    parts.push(
      await renderChart({
        title: "code-invocation rate by the base model's reference decision",
        data: { values },
        transform: [
          { fold: ["code_rate_text_ref", "code_rate_code_ref"], as: ["reference", "rate"] },
          {
            calculate: "datum.reference === 'code_rate_text_ref' ? 'text' : 'code'",
            as: "reference",
          },
        ],
        facet: { column: { field: "reference", title: "reference decision", sort: ["text"] } },
        spec: {
          width: 200,
          height: 180,
          mark: { type: "line", point: true },
          encoding: {
            x: { field: "rollouts", type: "quantitative", title: "rollouts spent" },
            y: {
              field: "rate",
              type: "quantitative",
              scale: { domain: [0, 1] },
              title: "code rate",
            },
            color: methodColor(),
          },
        },
      }),
    );
  }
  parts.push(...await codeRateHistograms(store, runId));
  const levels = await store.query<
    { method: string; level: string; code_rate: number; accuracy: number }
  >(
    `SELECT split_part(r.run_id, '/', 2) AS method,
        json_extract_string(p.metadata, '$.level') AS level,
        avg(coalesce(r.used_code, false)::INT) AS code_rate, avg(coalesce(r.correct, false)::INT) AS accuracy
     FROM rollouts r JOIN problems p ON p.id = r.problem_id
     WHERE starts_with(r.run_id, $1 || '/') AND ends_with(r.run_id, '/eval-final') AND r.mode = 'auto'
     GROUP BY ALL ORDER BY ALL`,
    [runId],
  );
  if (levels.length > 0) {
    parts.push(
      await renderChart({
        title: "code-invocation rate by difficulty level (final test evaluation)",
        data: { values: levels },
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "level", type: "ordinal" },
          y: { field: "code_rate", type: "quantitative", scale: { domain: [0, 1] } },
          color: methodColor(),
        },
      }),
    );
    parts.push(
      await renderChart({
        title: "accuracy by difficulty level (final test evaluation)",
        data: { values: levels },
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "level", type: "ordinal" },
          y: { field: "accuracy", type: "quantitative", scale: { domain: [0, 1] } },
          color: methodColor(),
        },
      }),
    );
  }
  return parts;
}

/**
 * The paper's Fig. 5: per method and iteration, the histogram of per-query code-invocation rates
 * over the iteration's training queries (`auto` rollouts of the E-step, or of a baseline's
 * on-policy pass). Every method's rate is taken over the same number of `auto` rollouts per
 * query (the fewest any run has: EM's M), so the histograms have the same resolution.
 */
async function codeRateHistograms(store: Store, demoId: string): Promise<string[]> {
  const rows = await store.query<{ method: string; iteration: number; used: number; n: number }>(
    `WITH auto AS (
       SELECT run_id, problem_id, sample_idx, coalesce(used_code, false) AS used
       FROM rollouts
       WHERE starts_with(run_id, $1 || '/') AND mode = 'auto'
         AND (ends_with(run_id, '/curate') OR ends_with(run_id, '/rollouts'))),
     fewest AS (
       SELECT min(c) AS m FROM (SELECT count(*) AS c FROM auto GROUP BY run_id, problem_id))
     SELECT split_part(run_id, '/', 2) AS method,
        CAST(regexp_extract(split_part(run_id, '/', 3), '[0-9]+') AS INTEGER) AS iteration,
        sum(used::INT)::INT AS used, count(*)::INT AS n
     FROM auto, fewest WHERE sample_idx < fewest.m
     GROUP BY run_id, problem_id ORDER BY method, iteration`,
    [demoId],
  );
  if (rows.length === 0) return [];
  const m = Math.min(...rows.map((r) => r.n));
  const labels = Array.from({ length: m + 1 }, (_, i) => `${i}/${m}`);
  const values = rows.map((r) => ({
    method: r.method,
    iteration: `iteration ${r.iteration}`,
    rate: `${r.used}/${r.n}`,
  }));
  return [
    await renderChart({
      title: `per-query code-invocation rate of the training queries (${m} auto rollouts each)`,
      data: { values },
      facet: {
        row: { field: "method", title: null, sort: Object.keys(METHOD_COLORS) },
        column: { field: "iteration", title: null },
      },
      spec: {
        mark: "bar",
        encoding: {
          x: {
            field: "rate",
            type: "ordinal",
            scale: { domain: labels },
            title: "auto rollouts that ran code",
          },
          y: { aggregate: "count", title: "queries" },
          color: { ...methodColor(), legend: null },
        },
      },
    }),
  ];
}

async function metricParts(store: Store, runId: string, task: string): Promise<string[]> {
  if (task === "demo") return [];
  const rows = await store.query<{ step: number; name: string; value: number }>(
    "SELECT step, name, value FROM metrics WHERE run_id = $1 ORDER BY step",
    [runId],
  );
  const names = [...new Set(rows.map((r) => r.name))].filter((n) => /loss|reward|kl|clip/.test(n));
  if (names.length === 0) return [];
  return [
    await renderChart({
      title: "training metrics by step",
      data: { values: rows.filter((r) => names.includes(r.name)) },
      mark: "line",
      encoding: {
        x: { field: "step", type: "quantitative" },
        y: { field: "value", type: "quantitative" },
        color: neutralColor("name", "metric"),
      },
    }),
  ];
}

function groupTable(groups: GroupSummary[]): string {
  const ks = Object.keys(groups[0].passAtK).map(Number).filter((k) => k > 1);
  return htmlTable([
    [
      "group",
      "problems",
      "samples",
      "accuracy",
      "95% CI",
      ...ks.map((k) => `pass@${k}`),
      ...ks.map((k) => `maj@${k}`),
      "code rate",
      "failed calls",
      "tokens",
      "errors",
    ],
    ...groups.map((g) => [
      g.group,
      String(g.problems),
      String(g.samples),
      pct(g.accuracy.mean),
      `${pct(g.accuracy.low)} – ${pct(g.accuracy.high)}`,
      ...ks.map((k) => pct(g.passAtK[k])),
      ...ks.map((k) => pct(g.majAtK[k])),
      pct(g.codeRate),
      pct(g.failedCallRate),
      String(Math.round(g.meanTokens)),
      String(g.errors),
    ]),
  ]);
}

function htmlTable(rows: (string | number)[][]): string {
  const [head, ...body] = rows;
  const cell = (tag: string, v: string | number) => `<${tag}>${escape(String(v))}</${tag}>`;
  return `<table><thead><tr>${head.map((h) => cell("th", h)).join("")}</tr></thead><tbody>${
    body.map((r) => `<tr>${r.map((v) => cell("td", v)).join("")}</tr>`).join("")
  }</tbody></table>`;
}

function page(title: string, sections: Section[]): string {
  const body = sections.map((s) =>
    `<section><h2>${escape(s.title)}</h2>${
      s.parts.map((p) => (p.startsWith("<svg") ? `<figure>${p}</figure>` : p)).join("\n")
    }</section>`
  ).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
figure { display: inline-block; margin: 0.5rem 1rem 0.5rem 0; }
.meta { color: #666; }
</style></head>
<body><h1>${escape(title)}</h1>
<p class="meta">Generated ${new Date().toISOString()} by tocode.</p>
${body}
</body></html>
`;
}

function pct(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? "-" : `${(100 * x).toFixed(1)}%`;
}

function formatValue(metric: string, value: number): string {
  if (/accuracy|rate/.test(metric)) return pct(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function escape(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!,
  );
}
