import { createDemoModel } from "@/lib/ai/demo-model";
import type { ResolvedModel } from "@/lib/ai/providers";
import { parseAssignment } from "@/lib/runs/context";
import type { ModelResolver } from "@/lib/runs/execute/types";
import type { Plan } from "@/lib/runs/plan";
import type { CallOptions, V4 } from "./run-support";

/**
 * A scripted model for runs that change the repository: the plan is given, the reviewer passes,
 * and each task's agent makes the tool calls its script returns for the call it is on (given
 * the task, the attempt, its review feedback and the tool results so far), then closes with a
 * short reply. The summary is the demo model's.
 */
export type ToolCallScript = { toolName: string; input: Record<string, unknown> };
export type TaskScript = (call: {
  taskKey: string;
  attempt: number;
  feedback: string[];
  /** Outputs of the tool calls already made in this attempt, in order. */
  results: { toolName: string; output: unknown }[];
}) => ToolCallScript[] | null;

export function planOf(
  tasks: { key: string; dependsOn?: string[]; agent?: string; needsApproval?: boolean }[],
): Plan {
  return {
    summary: "Change the repository task by task.",
    phases: [
      {
        key: "build",
        name: "Build",
        tasks: tasks.map((t) => ({
          key: t.key,
          title: `Work on ${t.key}`,
          description: `Do ${t.key}.`,
          agent: t.agent ?? "coder",
          dependsOn: t.dependsOn ?? [],
          priority: "medium" as const,
          acceptanceCriteria: ["The change is made."],
          needsApproval: t.needsApproval ?? false,
        })),
      },
    ],
  };
}

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};

function promptText(o: CallOptions): string {
  return o.prompt
    .flatMap((m) =>
      m.role === "user" || m.role === "system"
        ? typeof m.content === "string"
          ? [m.content]
          : m.content.flatMap((p) => (p.type === "text" ? [p.text] : []))
        : [],
    )
    .join("\n\n");
}

function toolResults(o: CallOptions) {
  return o.prompt.flatMap((m) =>
    m.role === "tool"
      ? m.content.flatMap((p) =>
          p.type === "tool-result"
            ? [{ toolName: p.toolName, output: (p.output as { value?: unknown }).value ?? p.output }]
            : [],
        )
      : [],
  );
}

export function repoModel(plan: Plan, script: TaskScript): ModelResolver {
  const demo = createDemoModel({ chunkDelayMs: 0 });
  let seq = 0;
  const model: V4 = {
    specificationVersion: "v4",
    provider: demo.provider,
    modelId: demo.modelId,
    supportedUrls: {},
    async doGenerate(o) {
      const text = promptText(o);
      const a = parseAssignment(text);
      if (a?.purpose === "plan") {
        return {
          content: [{ type: "text", text: JSON.stringify(plan) }],
          finishReason: { unified: "stop", raw: "stop" },
          usage,
          warnings: [],
        };
      }
      if (a?.purpose === "review") {
        const verdict = {
          verdict: "pass",
          summary: "The change is in place.",
          criteria: a.acceptanceCriteria.map((criterion) => ({ criterion, met: true, evidence: "Seen." })),
          reasons: [],
        };
        return {
          content: [{ type: "text", text: JSON.stringify(verdict) }],
          finishReason: { unified: "stop", raw: "stop" },
          usage,
          warnings: [],
        };
      }
      return demo.doGenerate(o);
    },
    async doStream(o) {
      const a = parseAssignment(promptText(o));
      if (a?.purpose !== "task") return demo.doStream(o);
      const calls = script({
        taskKey: a.taskKey ?? "",
        attempt: a.attempt,
        feedback: a.reviewFeedback,
        results: toolResults(o),
      });
      const parts: Parameters<ReadableStreamDefaultController["enqueue"]>[0][] = [
        { type: "stream-start", warnings: [] },
      ];
      if (calls?.length) {
        for (const c of calls) {
          parts.push({
            type: "tool-call",
            toolCallId: `call-${++seq}`,
            toolName: c.toolName,
            input: JSON.stringify(c.input),
          });
        }
        parts.push({ type: "finish", usage, finishReason: { unified: "tool-calls", raw: "tool_calls" } });
      } else {
        const reply = `Changed the files for ${a.taskKey}.`;
        parts.push({ type: "text-start", id: "t" }, { type: "text-delta", id: "t", delta: reply });
        parts.push({ type: "text-end", id: "t" });
        parts.push({ type: "finish", usage, finishReason: { unified: "stop", raw: "stop" } });
      }
      return {
        stream: new ReadableStream({
          start(controller) {
            for (const p of parts) controller.enqueue(p);
            controller.close();
          },
        }),
      };
    },
  };
  return async () =>
    ({ model, provider: "demo", modelId: "demo-scripted", isDemo: true }) satisfies ResolvedModel;
}

/** Writes the given files on the first call of the first attempt, then closes. */
export const writes =
  (files: Record<string, Record<string, string>>): TaskScript =>
  ({ taskKey, results }) => {
    if (results.length) return null;
    const own = files[taskKey];
    if (!own) return null;
    return Object.entries(own).map(([path, content]) => ({
      toolName: "write_file",
      input: { path, content },
    }));
  };

/** The content a `read_file` result at `index` returned ("" when none). */
export const readContent = (results: { output: unknown }[], index: number): string =>
  String((results[index]?.output as { content?: string } | undefined)?.content ?? "");
