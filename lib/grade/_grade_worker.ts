/// <reference lib="deno.worker" />
/**
 * The grader's worker thread: runs the full equivalence cascade (with the computer-algebra step)
 * off the main thread, so a pathological pair can be abandoned by terminating the worker.
 */
import { isEquivalent } from "./equivalent.ts";

self.onmessage = (
  event: MessageEvent<{ id: number; gold: string; pred: string; tolerance: number }>,
) => {
  const { id, gold, pred, tolerance } = event.data;
  try {
    self.postMessage({ id, verdict: isEquivalent(gold, pred, { tolerance, symbolic: true }) });
  } catch (error) {
    self.postMessage({
      id,
      verdict: {
        equal: false,
        reason: `grader error: ${(error as Error).message}`,
        gold_norm: "",
        pred_norm: "",
      },
    });
  }
};
self.postMessage({ ready: true });
