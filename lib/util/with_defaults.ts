/**
 * Fills options from defaults, treating an option set to `undefined` as absent (a plain spread
 * would let `{ workers: undefined }` erase the default).
 *
 * @example
 * ```ts
 * import { withDefaults } from "./with_defaults.ts";
 * const opts = withDefaults({ workers: 2, timeoutMs: 5000 }, { workers: undefined, timeoutMs: 100 });
 * if (opts.workers !== 2 || opts.timeoutMs !== 100) throw new Error("wrong merge");
 * ```
 */
export function withDefaults<D extends object, O extends Partial<D>>(
  defaults: D,
  options: O,
): D & O {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) out[key] = value;
  return out as D & O;
}
