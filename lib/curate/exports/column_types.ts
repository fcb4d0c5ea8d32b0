/**
 * DuckDB types of the columns the framework schemas share: chat messages as the OpenAI
 * chat-completions layout nests them, which is what HF chat templates read.
 */

/** A prompt's messages: `[{role, content}]` (system, then user). */
export const PROMPT_MESSAGES = "STRUCT(role VARCHAR, content VARCHAR)[]";

/** A code-interpreter call: `{type: "function", function: {name, arguments: {code}}}`. */
const TOOL_CALL =
  'STRUCT("type" VARCHAR, "function" STRUCT(name VARCHAR, arguments STRUCT(code VARCHAR)))';

/** A conversation with tool turns: `[{role, content, tool_calls}]` (tool_calls NULL but on calls). */
export const TRAJECTORY_MESSAGES =
  `STRUCT(role VARCHAR, content VARCHAR, tool_calls ${TOOL_CALL}[])[]`;

/** Function schemas of the tools a conversation may call (JSON schema, as chat templates take). */
export const TOOLS =
  'STRUCT("type" VARCHAR, "function" STRUCT(name VARCHAR, description VARCHAR, parameters STRUCT("type" VARCHAR, properties STRUCT(code STRUCT("type" VARCHAR, description VARCHAR)), required VARCHAR[])))[]';
