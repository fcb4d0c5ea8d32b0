/**
 * The benchmark registry for `deno task bench [NAME...]`.
 *
 * @module
 */
import type { Benchmark } from "./harness.ts";
import generate from "./generate.ts";
import curate from "./curate.ts";
import evalBench from "./eval.ts";
import grade from "./grade.ts";
import prefill from "./prefill.ts";
import sandbox from "./sandbox.ts";
import store from "./store.ts";
import trainBench from "./train.ts";

/** All benchmarks, by name. */
export const benchmarks: Benchmark[] = [
  store,
  grade,
  sandbox,
  evalBench,
  curate,
  trainBench,
  generate,
  prefill,
];
