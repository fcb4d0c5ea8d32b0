/**
 * A JavaScript worker process, started with no permissions at all. Each session runs in a Web
 * Worker of its own (see _js_session.ts); the stateless cells get a fresh one each time.
 */
import { SESSION_SOURCE } from "./_js_session.ts";
import { openChannel, type WorkerAnswer, type WorkerRequest } from "./_protocol.ts";

const { requests, send } = await openChannel();

const sessionUrl = URL.createObjectURL(new Blob([SESSION_SOURCE], { type: "text/javascript" }));
const sessions = new Map<string, Worker>();
const startSession = () => new Worker(sessionUrl, { type: "module" });

send({ ready: true });

for await (const raw of requests) {
  const request = raw as WorkerRequest;
  if (request.op === "end") {
    sessions.get(request.session!)?.terminate();
    sessions.delete(request.session!);
    continue;
  }
  let worker = request.session ? sessions.get(request.session) : undefined;
  if (!worker) {
    worker = startSession();
    if (request.session) sessions.set(request.session, worker);
  }
  const answer = await new Promise<WorkerAnswer>((resolve) => {
    worker!.onmessage = (event) => resolve({ id: request.id, stderr: "", ...event.data });
    worker!.onerror = (event) => {
      event.preventDefault();
      resolve({
        id: request.id,
        status: "error",
        stdout: "",
        stderr: "",
        error: event.message,
        truncated: false,
      });
    };
    worker!.postMessage({ code: request.code, cap: request.outputCap });
  });
  if (!request.session) worker.terminate();
  send(answer);
}
