/**
 * The smallest shared layer: helpers any layer may use, importing nothing of the project.
 *
 * @module
 */
export * from "./with_defaults.ts";
