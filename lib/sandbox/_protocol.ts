/**
 * The line protocol between the pool and a worker process. Requests go in on stdin as JSON
 * lines; answers come back on stdout as `<nonce> <json>` lines. The nonce is sent in the first
 * stdin line and kept in module scope, so code running in the worker cannot forge an answer by
 * writing to stdout.
 */

/** A request to a worker process. */
export interface WorkerRequest {
  id: number;
  op: "exec" | "end";
  code?: string;
  session?: string;
  outputCap: number;
}

/** An answer of a worker process (or its ready signal). */
export interface WorkerAnswer {
  id?: number;
  ready?: boolean;
  status?: "ok" | "error" | "limit";
  stdout?: string;
  stderr?: string;
  error?: string | null;
  truncated?: boolean;
}

/** The settings a worker process starts with (first stdin line). */
export interface WorkerSettings {
  nonce: string;
  /** Folder mounted read-only at /packages in Pyodide's file system (sympy, mpmath). */
  packagesDir?: string;
  /** Modules imported at start (e.g. ["sympy"]), so the first cell does not pay for them. */
  prewarm?: string[];
  recursionLimit: number;
}

/** Reads JSON lines from stdin: the settings first, then requests. */
export async function* readRequests(
  stdin: ReadableStream<Uint8Array>,
): AsyncGenerator<unknown> {
  let pending = "";
  for await (const chunk of stdin.pipeThrough(new TextDecoderStream())) {
    pending += chunk;
    let newline;
    while ((newline = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim()) yield JSON.parse(line);
    }
  }
}

/** Cuts text at the cap and reports whether it did. */
export function capText(text: string, cap: number): { text: string; truncated: boolean } {
  return text.length > cap
    ? { text: text.slice(0, cap), truncated: true }
    : { text, truncated: false };
}

/**
 * The worker side of the protocol: takes stdin and stdout for itself (and hides them from cell
 * code), reads the settings line, and returns the request stream and a `send` for answers.
 */
export async function openChannel(): Promise<{
  settings: WorkerSettings;
  requests: AsyncGenerator<unknown>;
  send(answer: WorkerAnswer): void;
}> {
  const stdin = Deno.stdin.readable;
  const stdout = Deno.stdout;
  Object.defineProperty(Deno, "stdin", { value: undefined });
  Object.defineProperty(Deno, "stdout", { value: undefined });
  const encoder = new TextEncoder();
  const requests = readRequests(stdin);
  const settings = (await requests.next()).value as WorkerSettings;
  return {
    settings,
    requests,
    send: (answer) =>
      stdout.writeSync(encoder.encode(`${settings.nonce} ${JSON.stringify(answer)}\n`)),
  };
}
