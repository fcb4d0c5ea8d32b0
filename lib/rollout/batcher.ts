import type { Completion, GenerateRequest, Policy } from "../policy/types.ts";
import type { GenerateStep } from "./tir_loop.ts";

/** Options of {@linkcode createBatcher}. */
export interface BatcherOptions {
  /** Requests per policy call at most. */
  maxBatch?: number;
  /** Policy calls in flight at most (1 for a local engine; more for remote servers). */
  maxInFlight?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  /** Ask the policy for the log-prob of each sampled token (training needs them). */
  logprobs?: boolean;
  signal?: AbortSignal;
}

interface Pending {
  request: GenerateRequest;
  resolve: (c: Completion) => void;
  reject: (e: unknown) => void;
}

/**
 * Turns single generation steps of many concurrent trajectories into batched policy calls:
 * steps that arrive while a call is running wait and go together in the next one, so a local
 * engine decodes them as one batch and a remote server gets them concurrently.
 */
export function createBatcher(
  policy: Policy,
  options: BatcherOptions = {},
): GenerateStep & { stats: { calls: number; requests: number } } {
  const maxBatch = options.maxBatch ?? 64;
  const maxInFlight = options.maxInFlight ?? 1;
  const queue: Pending[] = [];
  const stats = { calls: 0, requests: 0 };
  let inFlight = 0;
  let scheduled = false;

  const pump = () => {
    scheduled = false;
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      inFlight++;
      stats.calls++;
      stats.requests += batch.length;
      policy.generate(batch.map((p) => p.request), { signal: options.signal })
        .then<unknown, unknown>(
          (results) => batch.forEach((p, i) => p.resolve(results[i].completions[0])),
          // One request (a prompt over the context, say) fails the whole call: each request
          // then goes on its own, so only the ones that fail alone fail.
          (error): unknown =>
            batch.length === 1 || options.signal?.aborted
              ? batch.forEach((p) => p.reject(error))
              : Promise.all(batch.map((p) =>
                policy.generate([p.request], { signal: options.signal })
                  .then((r) => p.resolve(r[0].completions[0]), p.reject)
              )),
        )
        .finally(() => {
          inFlight--;
          schedule();
        });
    }
  };
  // Wait one macrotask so the steps that become ready together are batched together.
  const schedule = () => {
    if (scheduled || queue.length === 0) return;
    scheduled = true;
    setTimeout(pump, 0);
  };

  const step: GenerateStep = (input, stepOptions) =>
    new Promise<Completion>((resolve, reject) => {
      queue.push({
        request: {
          ...input,
          maxNewTokens: stepOptions.maxNewTokens,
          stop: stepOptions.stop,
          seed: stepOptions.seed,
          cache: stepOptions.cache,
          temperature: options.temperature,
          topP: options.topP,
          topK: options.topK,
          logprobs: options.logprobs,
          n: 1,
        },
        resolve,
        reject,
      });
      schedule();
    });
  return Object.assign(step, { stats });
}
