import type { Turn } from "../store/rollouts.ts";

/** Result of running one code cell, as the sandbox returns it. */
export interface ExecResult {
  status: "ok" | "error" | "timeout" | "killed" | "limit";
  stdout: string;
  stderr: string;
  error?: string | null;
  durationMs: number;
  truncated?: boolean;
  /** The text the executor shows the model, where its semantics format it (`qwen`). */
  output?: string;
}

/** What the TIR loop needs of a sandbox: run a cell in a session, then free the session. */
export interface CodeRunner {
  exec(
    code: string,
    options: { language: "python" | "javascript"; session?: string; timeoutMs?: number },
  ): Promise<ExecResult>;
  endSession(session: string): Promise<void> | void;
}

/** One finished trajectory: the text, every turn, and what the store and the trainer need. */
export interface Trajectory {
  prompt: string;
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
  /** Generated token ids and their behaviour log-probs, in order, when the backend gives them. */
  tokenIds: number[] | null;
  logprobs: number[] | null;
  finishReason: "stop" | "eos" | "length" | "budget";
  latencyMs: number;
}
