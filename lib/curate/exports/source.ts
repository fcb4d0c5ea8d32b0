import type { ChatMessage } from "../../policy/types.ts";
import type { Mode } from "../../rollout/modes.ts";
import { rolloutSettings } from "../../rollout/rollout_config.ts";
import { loadTemplate, type PromptTemplate } from "../../rollout/templates.ts";
import type { Turn } from "../../store/rollouts.ts";
import { getRun, type RunRecord } from "../../store/runs.ts";
import type { Store } from "../../store/store.ts";
import type { PromptMessage } from "./messages.ts";
import { autoPromptMessages } from "./prompt_messages.ts";

/** A query to train on: a problem with its ground truth and, for a curated set, its drawn mode. */
export interface ExportQuery {
  problemId: string;
  /** tocode's dataset name of the problem. */
  dataset: string;
  problem: string;
  answer: string;
  /** The mode drawn from s*(c|x) (curate runs), null for an eval run's problems. */
  mode: "text" | "code" | null;
  /** s*(mode|x) of the drawn mode (curate runs), null otherwise. */
  weight: number | null;
}

/** A successful trajectory to imitate: a curated set's imitation rows, or an eval run's right answers. */
export interface ExportSample extends Omit<ExportQuery, "mode"> {
  mode: Mode;
  sampleIdx: number;
  turns: Turn[];
}

/** What a schema builds its rows from: the run, the prompt of each problem, queries and samples. */
export interface ExportSource {
  run: RunRecord;
  /** The curate iteration the rows come from (curate runs). */
  iteration: number | null;
  /** The chat messages the run's template gives a problem in `auto` mode (no opening words). */
  promptMessages(problem: string): PromptMessage[];
  queries(): Promise<ExportQuery[]>;
  samples(): Promise<ExportSample[]>;
}

/** Tasks whose runs hold rollouts to export. */
const ROLLOUT_TASKS = ["eval", "curate"];

/**
 * Opens a run of the store as an export source. The prompt template is the one the run used
 * (its `promptTemplate` flag), checked against the prompts the run stored, so an export never
 * pairs a trajectory with a prompt it was not generated from. A curate run yields its curated
 * set (the latest E-step iteration); an eval run yields its problems and its right answers.
 * Failed samples (a non-NULL `error`) are never part of either.
 */
export async function openExportSource(store: Store, runId: string): Promise<ExportSource> {
  const run = await getRun(store, runId);
  if (!run) throw new Error(`Cannot export run "${runId}": no such run (${store.path})`);
  if (!ROLLOUT_TASKS.includes(run.task)) {
    throw new Error(
      `Cannot export run "${runId}": it is a ${run.task} run; exports read eval and curate runs (${store.path})`,
    );
  }
  const templateName = String(run.args.promptTemplate ?? rolloutSettings().promptTemplate);
  let template: PromptTemplate;
  try {
    template = await loadTemplate(templateName);
  } catch (error) {
    throw new Error(
      `Cannot export run "${runId}": ${(error as Error).message.split("\n")[0]}`,
    );
  }
  let iteration: number | null = null;
  if (run.task === "curate") {
    const [row] = await store.query<{ iteration: number | null }>(
      "SELECT max(iteration) AS iteration FROM curate_queries WHERE run_id = $1",
      [runId],
    );
    if (row.iteration === null) {
      throw new Error(
        `Cannot export run "${runId}": it has no curated set (its E-step did not finish; rerun the curate run to resume it) (${store.path})`,
      );
    }
    iteration = row.iteration;
  }
  await checkStoredPrompts(store, run, template);
  return {
    run,
    iteration,
    promptMessages: (problem) => autoPromptMessages(template, problem, `run "${runId}"`),
    queries:
      () => (iteration === null
        ? evalQueries(store, runId)
        : curatedQueries(store, runId, iteration)),
    samples:
      () => (iteration === null
        ? evalSamples(store, runId)
        : curatedSamples(store, runId, iteration)),
  };
}

/**
 * Refuses a run whose stored prompts its template no longer builds (a template file edited or
 * replaced since the run): checks one stored prompt per (problem, mode).
 */
async function checkStoredPrompts(
  store: Store,
  run: RunRecord,
  template: PromptTemplate,
): Promise<void> {
  const rows = await store.query<
    {
      problem: string;
      problem_id: string;
      mode: Mode;
      prompt: string | null;
      messages: string | null;
    }
  >(
    `SELECT p.problem, r.problem_id, r.mode,
        arg_min(r.prompt, r.sample_idx) AS prompt,
        arg_min(r.prompt_messages::VARCHAR, r.sample_idx) AS messages
      FROM rollouts r JOIN problems p ON p.id = r.problem_id
      WHERE r.run_id = $1 AND r.error IS NULL
      GROUP BY ALL ORDER BY r.problem_id, r.mode`,
    [run.id],
  );
  for (const row of rows) {
    const built = template.build(row.problem, row.mode);
    const matches = built.kind === "raw"
      ? row.prompt === null || row.prompt === built.text
      : row.messages === null ||
        sameMessages(JSON.parse(row.messages), built.messages, built.prefix);
    if (!matches) {
      throw new Error(
        `Cannot export run "${run.id}": its prompt template "${template.name}" no longer builds the prompts the run sent (problem "${row.problem_id}", mode ${row.mode}); export with the template file the run used (${store.path})`,
      );
    }
  }
}

function sameMessages(stored: ChatMessage[], messages: ChatMessage[], prefix: string): boolean {
  const expected = prefix === "" ? messages : [...messages, { role: "assistant", content: prefix }];
  return JSON.stringify(stored.map((m) => [m.role, m.content])) ===
    JSON.stringify(expected.map((m) => [m.role, m.content]));
}

interface QueryRow {
  problem_id: string;
  dataset: string;
  problem: string;
  answer: string;
  mode: "text" | "code" | null;
  weight: number | null;
}

function toQuery(row: QueryRow): ExportQuery {
  return {
    problemId: row.problem_id,
    dataset: row.dataset,
    problem: row.problem,
    answer: row.answer,
    mode: row.mode,
    weight: row.weight,
  };
}

async function curatedQueries(store: Store, runId: string, iteration: number) {
  const rows = await store.query<QueryRow>(
    `SELECT c.problem_id, p.dataset, p.problem, p.answer, c.mode,
        CASE c.mode WHEN 'code' THEN q.s_code ELSE q.s_text END AS weight
      FROM curated c
      JOIN curate_queries q USING (run_id, iteration, problem_id)
      JOIN problems p ON p.id = c.problem_id
      WHERE c.run_id = $1 AND c.iteration = $2
      ORDER BY c.problem_id, c.mode`,
    [runId, iteration],
  );
  return rows.map(toQuery);
}

async function evalQueries(store: Store, runId: string) {
  const rows = await store.query<QueryRow>(
    `SELECT DISTINCT r.problem_id, p.dataset, p.problem, p.answer,
        NULL::VARCHAR AS mode, NULL::DOUBLE AS weight
      FROM rollouts r JOIN problems p ON p.id = r.problem_id
      WHERE r.run_id = $1 AND r.error IS NULL
      ORDER BY r.problem_id`,
    [runId],
  );
  return rows.map(toQuery);
}

interface SampleRow extends QueryRow {
  sample_idx: number;
  turns: string;
}

function toSample(row: SampleRow): ExportSample {
  return {
    ...toQuery(row),
    mode: row.mode as Mode,
    sampleIdx: row.sample_idx,
    turns: JSON.parse(row.turns),
  };
}

async function curatedSamples(store: Store, runId: string, iteration: number) {
  const rows = await store.query<SampleRow>(
    `SELECT r.problem_id, p.dataset, p.problem, p.answer, r.mode,
        CASE r.mode WHEN 'code' THEN q.s_code ELSE q.s_text END AS weight,
        r.sample_idx, r.turns::VARCHAR AS turns
      FROM curated_rollouts r
      JOIN curate_queries q USING (run_id, iteration, problem_id)
      JOIN problems p ON p.id = r.problem_id
      WHERE r.run_id = $1 AND r.iteration = $2 AND r.imitate AND r.error IS NULL
        AND r.turns IS NOT NULL
      ORDER BY r.problem_id, r.mode, r.sample_idx`,
    [runId, iteration],
  );
  return rows.map(toSample);
}

async function evalSamples(store: Store, runId: string) {
  const rows = await store.query<SampleRow>(
    `SELECT r.problem_id, p.dataset, p.problem, p.answer, r.mode, NULL::DOUBLE AS weight,
        r.sample_idx, r.turns::VARCHAR AS turns
      FROM rollouts r JOIN problems p ON p.id = r.problem_id
      WHERE r.run_id = $1 AND r.error IS NULL AND r.correct AND r.turns IS NOT NULL
      ORDER BY r.problem_id, r.mode, r.sample_idx`,
    [runId],
  );
  return rows.map(toSample);
}
