/**
 * Dataset definitions: where each benchmark comes from (pinned URL + sha256), its file name in
 * the data folder, its size and its answer format. The files themselves are data, not code.
 *
 * @module
 */
import type { DatasetDefinition } from "../lib/data/dataset.ts";
import { aime24 } from "./aime24.ts";
import { aime25 } from "./aime25.ts";
import { gsm8kTest } from "./gsm8k_test.ts";
import { math500 } from "./math500.ts";
import { mathPool } from "./math_pool.ts";

/** Every bundled dataset definition, by name. */
export const datasets: readonly DatasetDefinition[] = [
  math500,
  aime24,
  aime25,
  mathPool,
  gsm8kTest,
];
