import { withDefaults } from "../util/with_defaults.ts";
import {
  equivalenceDefaults,
  type EquivalenceOptions,
  isEquivalent,
  NeedsSymbolic,
  type Verdict,
} from "./equivalent.ts";
import { extractAnswer, type ExtractOptions } from "./extract.ts";

/** Options of {@linkcode createGrader}. */
export interface GraderOptions extends Pick<EquivalenceOptions, "tolerance"> {
  /** Wall time for one pair's symbolic step; past it the verdict is "timeout" (wrong). */
  timeoutMs?: number;
  /** Wall time for a (re)started worker to load the computer-algebra library. */
  startupMs?: number;
  /** Predictions longer than this are not answers (and could only be slow). */
  maxAnswerLength?: number;
}

/** Defaults of {@linkcode GraderOptions}. */
export const graderDefaults = {
  tolerance: equivalenceDefaults.tolerance,
  timeoutMs: 3000,
  startupMs: 60_000,
  maxAnswerLength: 1000,
};

/** A verdict on a completion: the answers extracted from both sides and how they compare. */
export interface CompletionVerdict extends Verdict {
  /** The answer extracted from the completion; null when none was found. */
  answer: string | null;
  /** The answer extracted from the gold text (the gold itself when nothing marks one). */
  gold_answer: string;
}

/** Grades answers with a time limit; the expensive step runs in a worker that is replaced on timeout. */
export interface Grader {
  /** Compares a predicted answer with the gold one. */
  grade(gold: string, pred: string): Promise<Verdict>;
  /** Extracts the answers from a completion and from the gold text, then grades them. */
  gradeCompletion(
    gold: string,
    completion: string,
    options?: ExtractOptions,
  ): Promise<CompletionVerdict>;
  /** Pairs graded, pairs that reached the symbolic step, timeouts, and worker failures. */
  readonly stats: { pairs: number; symbolic: number; timeouts: number; errors: number };
  /** Stops the worker; pairs still waiting get the verdict "grader closed". */
  close(): Promise<void>;
}

interface Job {
  id: number;
  gold: string;
  pred: string;
  norms: { gold_norm: string; pred_norm: string };
  resolve(v: Verdict): void;
}

/**
 * Creates a grader. Cheap rules (normalised exact match, exact rationals, structures of those)
 * run inline; a pair that needs computer algebra goes to a worker thread with a wall-time limit.
 * A pair that runs out of time gets the verdict "timeout" (counted wrong); the worker is
 * terminated and replaced, so a pathological input never hangs a run.
 *
 * @example
 * ```ts
 * import { createGrader } from "./grader.ts";
 * const grader = createGrader();
 * const v = await grader.gradeCompletion("\\frac{1}{2}", "... so the answer is \\boxed{0.5}.");
 * await grader.close();
 * if (!v.equal || v.answer !== "0.5") throw new Error(v.reason);
 * ```
 */
export function createGrader(options: GraderOptions = {}): Grader {
  const opts = withDefaults(graderDefaults, options);
  const stats = { pairs: 0, symbolic: 0, timeouts: 0, errors: 0 };
  const queue: Job[] = [];
  let worker: Worker | undefined;
  // The time limit counts from when a started worker is ready, not its start-up.
  let ready = false;
  let startup: ReturnType<typeof setTimeout> | undefined;
  let current: { job: Job; timer: ReturnType<typeof setTimeout> } | undefined;
  let nextId = 0;
  let closed = false;
  // Every sample of a problem shares its gold: extract each gold once.
  const goldAnswers = memo((gold: string) => extractAnswer(gold)?.answer ?? gold.trim());

  const fail = (job: Job, reason: string) => job.resolve({ equal: false, reason, ...job.norms });
  const stop = () => {
    clearTimeout(startup);
    worker?.terminate();
    worker = undefined;
    ready = false;
  };
  const spawn = () => {
    ready = false;
    const w = new Worker(new URL("./_grade_worker.ts", import.meta.url).href, { type: "module" });
    worker = w;
    startup = setTimeout(() => {
      // A worker that never loads would leave every pair waiting: fail them, try again later.
      stop();
      stats.errors += queue.length;
      for (const job of queue.splice(0)) {
        fail(job, `grader error: the worker did not start within ${opts.startupMs} ms`);
      }
    }, opts.startupMs);
    w.onmessage = (event: MessageEvent<{ id?: number; verdict?: Verdict; ready?: boolean }>) => {
      if (w !== worker) return;
      if (event.data.ready) {
        clearTimeout(startup);
        ready = true;
        pump();
        return;
      }
      if (!current || event.data.id !== current.job.id) return;
      clearTimeout(current.timer);
      const { job } = current;
      current = undefined;
      job.resolve(event.data.verdict!);
      pump();
    };
    w.onerror = (event: ErrorEvent) => {
      // Handled here, so a crash in the worker never reaches (and ends) the main thread.
      event.preventDefault();
      if (w !== worker) return;
      stop();
      stats.errors++;
      const message = `grader error: ${event.message}`;
      if (current) {
        clearTimeout(current.timer);
        fail(current.job, message);
        current = undefined;
      } else {
        for (const job of queue.splice(0)) fail(job, message);
      }
      pump();
    };
  };
  const pump = () => {
    if (current || queue.length === 0 || closed) return;
    if (!worker) spawn();
    if (!ready) return;
    const job = queue.shift()!;
    const timer = setTimeout(() => {
      // Out of time: abandon the worker (it may be stuck in a loop) and start a fresh one.
      stop();
      current = undefined;
      stats.timeouts++;
      fail(job, `timeout: no verdict within ${opts.timeoutMs} ms`);
      pump();
    }, opts.timeoutMs);
    current = { job, timer };
    worker!.postMessage({ id: job.id, gold: job.gold, pred: job.pred, tolerance: opts.tolerance });
  };

  const grade = (gold: string, pred: string): Promise<Verdict> => {
    if (closed) return Promise.reject(new Error("Cannot grade: the grader is closed"));
    stats.pairs++;
    const norms = { gold_norm: "", pred_norm: "" };
    if (pred.length > opts.maxAnswerLength) {
      return Promise.resolve({
        equal: false,
        reason: `prediction longer than ${opts.maxAnswerLength} characters`,
        ...norms,
      });
    }
    try {
      return Promise.resolve(
        isEquivalent(gold, pred, { tolerance: opts.tolerance, symbolic: false }),
      );
    } catch (error) {
      if (!(error instanceof NeedsSymbolic)) {
        return Promise.resolve({ equal: false, reason: `grader error: ${error}`, ...norms });
      }
      Object.assign(norms, error.norms);
    }
    stats.symbolic++;
    return new Promise((resolve) => {
      queue.push({ id: nextId++, gold, pred, norms, resolve });
      pump();
    });
  };

  return {
    grade,
    async gradeCompletion(gold, completion, extractOptions) {
      const goldAnswer = goldAnswers.get(gold);
      const extracted = extractAnswer(completion, extractOptions);
      if (!extracted) {
        return {
          equal: false,
          reason: "no answer found",
          gold_norm: "",
          pred_norm: "",
          answer: null,
          gold_answer: goldAnswer,
        };
      }
      return {
        ...(await grade(goldAnswer, extracted.answer)),
        answer: extracted.answer,
        gold_answer: goldAnswer,
      };
    },
    stats,
    close() {
      closed = true;
      if (current) {
        clearTimeout(current.timer);
        fail(current.job, "grader closed");
        current = undefined;
      }
      for (const job of queue.splice(0)) fail(job, "grader closed");
      stop();
      return Promise.resolve();
    },
  };
}

/** Above this many entries the gold cache starts afresh (a run holds a few thousand golds). */
const MAX_CACHED_GOLDS = 10_000;

function memo(f: (key: string) => string): { get(key: string): string } {
  const cache = new Map<string, string>();
  return {
    get(key) {
      let value = cache.get(key);
      if (value === undefined) {
        if (cache.size >= MAX_CACHED_GOLDS) cache.clear();
        value = f(key);
        cache.set(key, value);
      }
      return value;
    },
  };
}
