import type { PolicyTokenizer } from "./tokenizer.ts";

/** What {@linkcode TextTracker.push} reports for one new token. */
export interface PushResult {
  /** Text that became final with this token ("" while a multi-byte character is incomplete). */
  delta: string;
  /** The stop string hit, if any; the text is then cut just before it. */
  stop?: string;
}

/**
 * Turns sampled tokens into text incrementally and watches for stop strings, decoding only a
 * small window of recent tokens per step (as HF's streaming decoders do), never the whole text.
 *
 * @example
 * ```ts
 * import { createTokenizer } from "./tokenizer.ts";
 * import { TextTracker } from "./text_tracker.ts";
 * import { charTokenizer } from "../model/mod.ts";
 * const files = charTokenizer();
 * const tok = createTokenizer(files.tokenizer, files.tokenizerConfig);
 * const tracker = new TextTracker(tok, ["\n\n"]);
 * let stop: string | undefined;
 * for (const id of tok.encode("x=1\n\ny")) stop ??= tracker.push(id).stop;
 * if (stop !== "\n\n" || tracker.text !== "x=1") throw new Error("stop missed");
 * ```
 */
export class TextTracker {
  /** The final text so far (cut before a stop string once one is hit). */
  text = "";
  #ids: number[] = [];
  #prefixOffset = 0;
  #readOffset = 0;
  #maxStop: number;
  #emitted = 0;

  constructor(private tokenizer: PolicyTokenizer, private stops: readonly string[]) {
    this.#maxStop = Math.max(0, ...stops.map((s) => s.length));
  }

  /** Adds one token; returns the text safe to stream and the stop string if one completed. */
  push(id: number): PushResult {
    this.#ids.push(id);
    const window = this.#ids.slice(this.#prefixOffset);
    const prefix = this.#readOffset > this.#prefixOffset
      ? this.tokenizer.decode(this.#ids.slice(this.#prefixOffset, this.#readOffset))
      : "";
    const full = this.tokenizer.decode(window);
    if (full.length <= prefix.length || full.endsWith("\uFFFD")) return { delta: "" };
    this.#prefixOffset = this.#readOffset;
    this.#readOffset = this.#ids.length;
    const before = this.text.length;
    this.text += full.slice(prefix.length);
    if (this.#maxStop === 0) return { delta: this.flush() };
    const from = Math.max(0, before - this.#maxStop + 1);
    let best = -1;
    let hit: string | undefined;
    for (const stop of this.stops) {
      const at = this.text.indexOf(stop, from);
      if (at >= 0 && (best < 0 || at < best)) {
        best = at;
        hit = stop;
      }
    }
    if (hit !== undefined) {
      this.text = this.text.slice(0, best);
      return { delta: this.flush(), stop: hit };
    }
    // Hold back a tail that may still grow into a stop string, so streams never show one.
    let hold = 0;
    for (const stop of this.stops) {
      for (let k = Math.min(stop.length - 1, this.text.length); k > hold; k--) {
        if (this.text.endsWith(stop.slice(0, k))) {
          hold = k;
          break;
        }
      }
    }
    const end = this.text.length - hold;
    if (end <= this.#emitted) return { delta: "" };
    const delta = this.text.slice(this.#emitted, end);
    this.#emitted = end;
    return { delta };
  }

  /** Returns the text not yet streamed (call when the sequence ends). */
  flush(): string {
    const delta = this.text.slice(this.#emitted);
    this.#emitted = this.text.length;
    return delta;
  }
}
