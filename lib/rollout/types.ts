import type { ChatMessage } from "../policy/types.ts";
import type { ExecResult } from "../sandbox/types.ts";
import type { Language } from "../sandbox/languages.ts";
import type { Turn } from "../store/rollouts.ts";

/** What the TIR loop needs of a sandbox: run a cell in a session, then free the session. */
export interface CodeRunner {
  exec(
    code: string,
    options: { language: Language; session?: string; timeoutMs?: number },
  ): Promise<ExecResult>;
  endSession(session: string): Promise<void> | void;
}

/** One finished trajectory: the text, every turn, and what the store and the trainer need. */
export interface Trajectory {
  /** The prompt string the model continued; null when a server rendered chat messages. */
  prompt: string | null;
  /** The chat messages sent, when a server rendered them (the last may open the answer). */
  promptMessages: ChatMessage[] | null;
  /** Everything after the prompt: generated text with the appended output blocks. */
  completion: string;
  turns: Turn[];
  usedCode: boolean;
  codeCalls: number;
  /** Executions that ended in error, timeout, kill or limit. */
  failedCalls: number;
  promptTokens: number;
  /** Tokens the model generated (tool output excluded). */
  completionTokens: number;
  /**
   * The trajectory as tokens (verl's names), when the model's tokenizer is at hand and every id is
   * exactly what the model read and sampled; null otherwise.
   */
  tokens: TrajectoryTokens | null;
  /** The prompt's ids, when the model's tokenizer is at hand (even when the response's are not). */
  promptIds: number[] | null;
  /**
   * Why it ended: a stop string or the end of sequence, the token budget cut a generation
   * (`length`) or left none for the next turn (`budget`), or the code-call limit ended it.
   */
  finishReason: "stop" | "eos" | "length" | "budget" | "call_limit";
  /** The stop string that ended the last generation, when one did. */
  stopReason: string | null;
  latencyMs: number;
}

/** A trajectory's tokens after the prompt: sampled (mask 1, with log-probs) and inserted (mask 0). */
export interface TrajectoryTokens {
  promptIds: number[];
  responseIds: number[];
  responseMask: number[];
  /** Behaviour log-prob of each sampled token; null where inserted or not kept. */
  responseLogprobs: (number | null)[];
}
