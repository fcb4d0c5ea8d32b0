/**
 * Metrics of evaluation runs: unbiased pass@k, maj@k, accuracy with 95% intervals over problems,
 * the paper's code-selection accuracy, and summaries broken down by dataset, subject and level.
 *
 * @module
 */
export * from "./pass_at_k.ts";
export * from "./majority.ts";
export * from "./confidence.ts";
export * from "./code_selection.ts";
export * from "./summarize.ts";
export * from "./read_samples.ts";
export * from "./format_table.ts";
export * from "./format_summary.ts";
export * from "./render_chart.ts";
export * from "./html_report.ts";
export * from "./eval_summary.ts";
export * from "./rescore.ts";
export * from "./sample_log.ts";
