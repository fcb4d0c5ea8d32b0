import type { Store } from "./store.ts";

/** Final state of a run. */
export type RunStatus = "running" | "finished" | "interrupted" | "failed";

/** A row of the runs table. */
export interface RunRecord {
  id: string;
  task: string;
  args: Record<string, unknown>;
  git_revision: string | null;
  started_at: string;
  finished_at: string | null;
  status: RunStatus;
  /** Why a failed run failed. */
  error: string | null;
  /** What the run ran with (config, model, versions, hashes), when the task recorded it. */
  provenance: Record<string, unknown> | null;
}

/** Options of {@linkcode beginRun}. */
export interface BeginRunOptions {
  /** Run id; a new one is made from the task name and time when absent. */
  id?: string;
  args?: Record<string, unknown>;
  /** Recorded on a new run and refreshed on a resumed one. */
  provenance?: Record<string, unknown>;
}

/**
 * Starts a run, or resumes it when a run with this id exists (its status goes back to running;
 * the task must match). Returns the run id and whether it was resumed.
 */
export async function beginRun(
  store: Store,
  task: string,
  options: BeginRunOptions = {},
): Promise<{ id: string; resumed: boolean }> {
  const id = options.id ?? newRunId(task);
  const existing = await store.query<{ task: string }>("SELECT task FROM runs WHERE id = $1", [id]);
  if (existing.length > 0) {
    if (existing[0].task !== task) {
      throw new Error(
        `Cannot resume run "${id}": it is a ${existing[0].task} run, not ${task} (${store.path})`,
      );
    }
    await store.run(
      `UPDATE runs SET status = 'running', finished_at = NULL, error = NULL,
         provenance = coalesce($2::JSON, provenance) WHERE id = $1`,
      [id, options.provenance ? JSON.stringify(options.provenance) : null],
    );
    return { id, resumed: true };
  }
  await store.run(
    `INSERT INTO runs (id, task, args, git_revision, status, provenance)
     VALUES ($1, $2, $3, $4, 'running', $5::JSON)`,
    [
      id,
      task,
      JSON.stringify(options.args ?? {}),
      await gitRevision(),
      options.provenance ? JSON.stringify(options.provenance) : null,
    ],
  );
  return { id, resumed: false };
}

/** Marks a run finished, interrupted or failed (with the error that ended it). */
export async function finishRun(
  store: Store,
  id: string,
  status: RunStatus,
  error?: string,
): Promise<void> {
  await store.run(
    "UPDATE runs SET status = $2, finished_at = current_timestamp, error = $3 WHERE id = $1",
    [id, status, error ?? null],
  );
}

/** Reads one run, or undefined. */
export async function getRun(store: Store, id: string): Promise<RunRecord | undefined> {
  const rows = await store.query<RunRecord & { args: string; provenance: string | null }>(
    `SELECT id, task, args, git_revision, started_at::VARCHAR AS started_at,
       finished_at::VARCHAR AS finished_at, status, error, provenance
     FROM runs WHERE id = $1`,
    [id],
  );
  if (rows.length === 0) return undefined;
  const row = rows[0];
  return {
    ...row,
    args: JSON.parse(row.args ?? "{}"),
    provenance: row.provenance === null ? null : JSON.parse(row.provenance),
  };
}

/**
 * Runs `body` inside a run that `beginRun` opened: marks the run failed, with the error's message,
 * when `body` throws, and rethrows.
 */
export async function failRunOnError<T>(
  store: Store,
  id: string,
  body: () => Promise<T>,
): Promise<T> {
  try {
    return await body();
  } catch (error) {
    await finishRun(store, id, "failed", String((error as Error)?.message ?? error));
    throw error;
  }
}

/** A readable, sortable, unique-enough run id: `eval-20261122-153512-a3f9`. */
export function newRunId(task: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const suffix = crypto.getRandomValues(new Uint16Array(1))[0].toString(16).padStart(4, "0");
  return `${task}-${stamp}-${suffix}`;
}

let revision: Promise<string | null> | undefined;

/** The project's git revision when it runs from a checkout, else null. */
export function gitRevision(): Promise<string | null> {
  revision ??= (async () => {
    try {
      const out = await new Deno.Command("git", {
        args: ["rev-parse", "--short=12", "HEAD"],
        cwd: new URL("../..", import.meta.url).pathname,
        stdout: "piped",
        stderr: "null",
      }).output();
      return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
    } catch {
      return null;
    }
  })();
  return revision;
}
