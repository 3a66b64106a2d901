import { withTenant } from "@/db";
import { appendRunEvents } from "@/lib/runs/event-log";
import { storableOutput } from "./sanitize";

/** How often buffered output becomes one `command.output` event, and how much a command may stream. */
const FLUSH_MS = 400;
const MAX_EVENT_CHARS = 8 * 1024;
const MAX_STREAMED_CHARS = 256 * 1024;

export type OutputStream = {
  push(chunk: string): void;
  /** Writes what is buffered and stops the timer; the last call of a command. */
  close(): Promise<void>;
};

/**
 * A command's output as it comes, for the run's live view: coalesced into `command.output` events
 * at most every 400 ms, 8 KB each, 256 KB per command (the rest is in the check's log, head and
 * tail). Best effort: a failed write loses a chunk of the live view, never the command.
 */
export function outputEvents(
  scope: { orgId: string; runId: string } | null,
  execId: string,
  taskId: string | null,
): OutputStream {
  let buffer = "";
  let streamed = 0;
  let capped = false;
  let chain: Promise<void> = Promise.resolve();
  const write = (chunk: string) => {
    if (!scope || !chunk) return;
    chain = chain
      .then(() =>
        withTenant({ orgId: scope.orgId }, (tx) =>
          appendRunEvents(tx, scope, [{ type: "command.output", execId, taskId, chunk }]),
        ),
      )
      .then(
        () => undefined,
        () => undefined,
      );
  };
  const flush = () => {
    while (buffer) {
      write(buffer.slice(0, MAX_EVENT_CHARS));
      buffer = buffer.slice(MAX_EVENT_CHARS);
    }
  };
  const timer = setInterval(flush, FLUSH_MS);
  timer.unref?.();
  return {
    push(chunk) {
      if (capped) return;
      const text = storableOutput(chunk);
      if (streamed + text.length > MAX_STREAMED_CHARS) {
        capped = true;
        buffer += `${text.slice(0, MAX_STREAMED_CHARS - streamed)}\n… (the live view stops here; the check's log keeps the head and the tail)\n`;
        streamed = MAX_STREAMED_CHARS;
        return;
      }
      streamed += text.length;
      buffer += text;
      if (buffer.length >= MAX_EVENT_CHARS) flush();
    },
    async close() {
      clearInterval(timer);
      flush();
      await chain;
    },
  };
}
