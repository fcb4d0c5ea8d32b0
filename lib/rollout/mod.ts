/**
 * The rollout layer shared by eval and curate: prompt templates per mode (text | code | auto),
 * the TIR loop (generate → run the trailing ```python block → append ```output → continue),
 * a batcher that merges the steps of concurrent trajectories into policy calls, and a runner
 * that writes each finished sample to the store.
 *
 * @module
 */
export * from "./modes.ts";
export * from "./templates.ts";
export * from "./code_block.ts";
export * from "./exec_output.ts";
export * from "./types.ts";
export * from "./tir_loop.ts";
export * from "./batcher.ts";
export * from "./run_rollouts.ts";
export * from "./plan_jobs.ts";
export * from "./rollout_pass.ts";
export * from "./sft_records.ts";
export * from "./open_tools.ts";
export * from "./rollout_config.ts";
export * from "./tir_semantics.ts";
export * from "./presets.ts";
export * from "./rollout_run.ts";
