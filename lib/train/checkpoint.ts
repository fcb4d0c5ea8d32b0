import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import type { ModelConfig } from "../model/config.ts";
import { readSafetensors, type Tensor, writeSafetensors } from "../model/safetensors.ts";

/** Where a run stands, saved with its weights and optimizer state. */
export interface TrainerState {
  step: number;
  seed: number;
  /** Target tokens trained on so far. */
  tokens: number;
}

/** A checkpoint found by {@linkcode findCheckpoint}. */
export interface Checkpoint {
  /** Folder with config.json, model.safetensors, optimizer.safetensors, trainer_state.json. */
  dir: string;
  state: TrainerState;
}

const CURRENT = "checkpoint";
const PARTIAL = "checkpoint.tmp";
const PREVIOUS = "checkpoint.old";

/**
 * Writes the resume state of a run into `<outDir>/checkpoint/`: weights, optimizer slots (with
 * their order: tfjs restores them by position) and trainer state. It is written beside the live
 * one and swapped in by renames, so a process killed while saving leaves the previous checkpoint
 * whole (see {@linkcode findCheckpoint}).
 */
export async function saveCheckpoint(
  outDir: string,
  options: {
    config: ModelConfig;
    weights: Map<string, Tensor>;
    optimizer: tf.Optimizer;
    state: TrainerState;
  },
): Promise<void> {
  const partial = join(outDir, PARTIAL);
  await Deno.remove(partial, { recursive: true }).catch(() => {});
  await Deno.mkdir(partial, { recursive: true });
  await Deno.writeTextFile(
    join(partial, "config.json"),
    JSON.stringify(options.config, null, 2) + "\n",
  );
  await writeSafetensors(join(partial, "model.safetensors"), options.weights);
  const named = await options.optimizer.getWeights();
  const slots = new Map<string, Tensor>();
  for (const { name, tensor } of named) {
    slots.set(name, {
      shape: tensor.shape.length ? [...tensor.shape] : [1],
      data: new Float32Array(await tensor.data()),
    });
  }
  // getWeights() makes a fresh tensor for the iteration count; the slots are the live variables.
  named.find((n) => n.name === "iter")?.tensor.dispose();
  await writeSafetensors(join(partial, "optimizer.safetensors"), slots);
  await Deno.writeTextFile(
    join(partial, "optimizer_order.json"),
    JSON.stringify(named.map((n) => n.name)),
  );
  // Written last: a folder with trainer_state.json is complete.
  await Deno.writeTextFile(
    join(partial, "trainer_state.json"),
    JSON.stringify(options.state, null, 2) + "\n",
  );
  const current = join(outDir, CURRENT);
  const previous = join(outDir, PREVIOUS);
  await Deno.remove(previous, { recursive: true }).catch(() => {});
  if (await exists(current)) await Deno.rename(current, previous);
  await Deno.rename(partial, current);
  await Deno.remove(previous, { recursive: true }).catch(() => {});
}

/**
 * The last complete checkpoint of a run: `<outDir>/checkpoint/`, or the previous one when a
 * save was cut between its renames. Undefined when there is none.
 */
export async function findCheckpoint(outDir: string): Promise<Checkpoint | undefined> {
  for (const name of [CURRENT, PREVIOUS]) {
    const dir = join(outDir, name);
    try {
      const state = JSON.parse(await Deno.readTextFile(join(dir, "trainer_state.json")));
      return { dir, state };
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        throw new Error(`Cannot read the checkpoint: ${(error as Error).message} (${dir})`);
      }
    }
  }
  return undefined;
}

/** Restores the optimizer slots saved by {@linkcode saveCheckpoint}. */
export async function loadOptimizerState(optimizer: tf.Optimizer, dir: string): Promise<void> {
  const tensors = await readSafetensors(join(dir, "optimizer.safetensors"));
  const order: string[] = JSON.parse(await Deno.readTextFile(join(dir, "optimizer_order.json")));
  const named = order.map((name) => {
    const t = tensors.get(name);
    if (!t) throw new Error(`Cannot restore the optimizer: slot ${name} is missing (${dir})`);
    return {
      name,
      tensor: name === "iter" ? tf.scalar(t.data[0], "int32") : tf.tensor(t.data, t.shape),
    };
  });
  await optimizer.setWeights(named);
  // setWeights assigns into its own variables: the tensors read from disk are spare.
  for (const { tensor } of named) tensor.dispose();
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
