import type { LoadedDataset } from "../data/dataset.ts";
import { sha256Hex } from "../data/download.ts";
import { environmentProvenance } from "../store/provenance.ts";
import { beginRun, finishRun, getRun } from "../store/runs.ts";
import type { Store } from "../store/store.ts";
import { MODES } from "./modes.ts";
import { type OpenPolicyOptions, openRolloutTools, type RolloutTools } from "./open_tools.ts";
import type { ServicesOptions } from "./open_tools.ts";
import { rolloutSettingsSchema } from "./rollout_config.ts";
import type { RolloutCounts } from "./run_rollouts.ts";

/**
 * The flags that change what a sample is: a resumed run must keep them, or its rows would mix
 * two experiments. Concurrency and the sandbox pool's size change only the speed.
 */
export const GENERATION_KEYS: readonly string[] = [
  ...Object.keys(rolloutSettingsSchema.shape).filter((k) => k !== "concurrency"),
  "model",
  "servedModel",
  "tokenizer",
  "seed",
];

/** The generation settings (keys) whose values differ between a stored run's args and these. */
export function generationChanges(
  stored: Record<string, unknown>,
  current: Record<string, unknown>,
): string[] {
  return GENERATION_KEYS.filter((key) =>
    key in stored && JSON.stringify(stored[key]) !== JSON.stringify(current[key])
  );
}

/** Options of {@linkcode openRolloutRun}. */
export interface OpenRolloutRunOptions {
  store: Store;
  task: "eval" | "curate";
  runId?: string;
  /** The task's resolved arguments: the rollout flags among them. */
  args: OpenPolicyOptions & ServicesOptions & { promptTemplate: string } & Record<string, unknown>;
  datasets: readonly LoadedDataset[];
  /** Resume even when the generation settings differ from the stored run's. */
  force?: boolean;
  /** How a setting is named in messages (the task's flag). */
  settingName?: (key: string) => string;
}

/** A run with its tools open: what a rollout task works in. */
export interface RolloutRun {
  id: string;
  resumed: boolean;
  tools: RolloutTools;
  provenance: Record<string, unknown>;
}

/**
 * Opens a rollout task's run in the order that keeps the store honest: the tools first (a bad
 * model, server, tokenizer or template fails before any run row exists), then the resume check
 * (a run is resumed only with its own generation flags, unless forced), then the run row with
 * its provenance: the resolved config, the served model, the software, and the sha256 of each
 * dataset and of the prompt and chat templates.
 */
export async function openRolloutRun(options: OpenRolloutRunOptions): Promise<RolloutRun> {
  const { store, args } = options;
  if (options.runId !== undefined) {
    const stored = await getRun(store, options.runId);
    if (stored && stored.task === options.task && !options.force) {
      const name = options.settingName ?? String;
      const changed = generationChanges(stored.args, args).map(name);
      if (changed.length > 0) {
        throw new Error(
          `Cannot resume run "${options.runId}": ${changed.join(", ")} ${
            changed.length === 1 ? "differs" : "differ"
          } from the stored run's (${name("force")} resumes anyway; ${store.path})`,
        );
      }
    }
  }
  const tools = await openRolloutTools(args);
  try {
    const provenance = await rolloutProvenance(tools, options);
    const run = await beginRun(store, options.task, { id: options.runId, args, provenance });
    return { ...run, tools, provenance };
  } catch (error) {
    await tools.close();
    throw error;
  }
}

async function rolloutProvenance(
  tools: RolloutTools,
  options: OpenRolloutRunOptions,
): Promise<Record<string, unknown>> {
  const datasets = [];
  for (const d of options.datasets) {
    const bytes = d.path.startsWith("generated:")
      ? new TextEncoder().encode(JSON.stringify(d.problems))
      : await Deno.readFile(d.path);
    datasets.push({
      name: d.name,
      path: d.path,
      sha256: await sha256Hex(bytes),
      problems: d.problems.length,
    });
  }
  // The template as the model sees it: every mode's prompt of a placeholder problem, and its stops.
  const rendered = MODES.map((mode) => tools.template.build("{problem}", mode));
  return {
    config: options.args,
    model: {
      spec: options.args.model,
      served: tools.policy.name,
      backend: tools.policy.backend,
      maxModelLen: tools.policy.maxModelLen ?? null,
    },
    ...await environmentProvenance(),
    datasets,
    template: {
      name: tools.template.name,
      sha256: await sha256Hex(utf8(JSON.stringify({ rendered, stop: tools.template.stop }))),
      chatTemplateSha256: tools.chatTemplate === undefined
        ? null
        : await sha256Hex(utf8(tools.chatTemplate)),
    },
    sandbox: tools.sandbox.provenance,
  };
}

/** How a rollout run ended: its status, and the line that says why when it failed. */
export interface RolloutRunEnd {
  status: "finished" | "interrupted" | "failed";
  /** Non-zero when the run failed or was interrupted. */
  exitCode: number;
  message?: string;
}

/**
 * Ends a run after its passes: interrupted on Ctrl-C; failed when more than `maxErrorRate` of the
 * run's samples are errors (the message names the first error and how many samples had it);
 * finished otherwise.
 */
export async function endRolloutRun(
  store: Store,
  runId: string,
  options: { counts: RolloutCounts; maxErrorRate: number; aborted: boolean },
): Promise<RolloutRunEnd> {
  if (options.aborted) {
    await finishRun(store, runId, "interrupted");
    return { status: "interrupted", exitCode: 130 };
  }
  const [row] = await store.query<{ n: number; errors: number; first: string | null }>(
    `SELECT count(*)::INT AS n, count(error)::INT AS errors,
       mode(error) FILTER (WHERE error IS NOT NULL) AS first
     FROM rollouts WHERE run_id = $1`,
    [runId],
  );
  const rate = row.n ? row.errors / row.n : 0;
  if (rate > options.maxErrorRate || options.counts.stoppedOnErrors) {
    const first = options.counts.firstError ??
      { message: row.first ?? "unknown", count: row.errors };
    const message = `${row.errors} of ${row.n} samples failed (${
      (100 * rate).toFixed(1)
    }%, more than --max-error-rate ${options.maxErrorRate}${
      options.counts.stoppedOnErrors ? "; stopped early" : ""
    }); first error, ${first.count}×: ${first.message}`;
    await finishRun(store, runId, "failed", message);
    return { status: "failed", exitCode: 1, message: `Cannot finish run "${runId}": ${message}` };
  }
  await finishRun(store, runId, "finished");
  return { status: "finished", exitCode: 0 };
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
