import { type ToolSet, tool } from "ai";
import { and, desc, eq, sql } from "drizzle-orm";
import { approvals, artifacts, runTasks } from "@/db/schema";
import {
  agentToolDescriptions,
  agentToolInputSchemas,
  isExecToolName,
  isRunToolName,
} from "@/lib/agents/tools";
import { createExecTools } from "@/lib/checks/tools/bind";
import { citedPassages } from "@/lib/knowledge/cite-hits";
import { saveInsightDocument } from "@/lib/knowledge/save-insight";
import { searchKnowledge } from "@/lib/knowledge/search";
import { createRepoTools, isRefusal } from "@/lib/repos/tools";
import { REPO_TOOL_NAMES, type RepoFileChange, type Workspace } from "@/lib/repos/tools/types";
import { writeRepoFile } from "@/lib/repos/tools/write-tools";
import { appendRunEvents } from "@/lib/runs/event-log";
import type { TaskSnapshot } from "@/lib/runs/events";
import type { SandboxAvailability } from "@/lib/sandbox/types";
import { derivedId, once, type StepKey } from "./once";
import { artifactFilePath } from "./repo-work";
import {
  type ArtifactRow,
  inTenant,
  QUESTION_TITLE_PREFIX,
  type RunEnvironment,
  type TaskRow,
} from "./state";
import type { RunScope } from "./types";

/** The sandbox and the repository a task's execution tools work with. */
export type ExecBinding = {
  projectId: string;
  origin: string;
  branch: string;
  attempt: number;
  sandbox: () => Promise<SandboxAvailability>;
};

/** What an agent did through its tools during one attempt, read back by the task step. */
export type ToolOutcome = {
  /** The artifact written or revised last (its version's id). */
  artifactId: string | null;
  /** A question the agent asked; the task waits for the answer. */
  questionApprovalId: string | null;
};

export function taskSnapshot(task: TaskRow): TaskSnapshot {
  return {
    id: task.id,
    key: task.key,
    title: task.title,
    description: task.description,
    phaseKey: task.phaseKey,
    agentSlug: task.agentSlug,
    priority: task.priority,
    status: task.status,
    dependsOn: task.dependsOn,
    acceptanceCriteria: task.acceptanceCriteria,
    parentTaskId: task.parentTaskId,
    worker: task.worker,
    needsApproval: task.needsApproval,
  };
}

const artifactView = (row: ArtifactRow) => ({
  id: row.id,
  title: row.title,
  kind: row.kind,
  version: row.version,
  path: row.path,
  language: row.language,
  content: row.content,
});

/** A saved document as a file of the working copy, through the same confinement as the file tools. */
async function writeDocumentFile(
  ws: Workspace,
  rel: string,
  content: string,
): Promise<RepoFileChange | null> {
  const result = await writeRepoFile(ws, { path: rel, content });
  if (isRefusal(result) || result.unchanged) return null;
  const { note: _note, unchanged: _unchanged, ...change } = result;
  return change;
}

/**
 * The tools of one agent for one task, bound to the run: every write goes through the tenant
 * transaction with its event. Only the tools the agent's definition grants are offered; the
 * repository tools among them work on the task's working copy.
 */
export function bindTools(args: {
  scope: RunScope;
  env: RunEnvironment;
  task: TaskRow | null;
  agentSlug: string;
  granted: readonly string[];
  outcome: ToolOutcome;
  /** The step the tools run in: rows they insert take ids derived from it and their order. */
  key: StepKey;
  /** The task's working copy, when the call has one. */
  workspace?: Workspace;
  /** Where the working copy's commands run (the execution tools), when the call has one. */
  exec?: ExecBinding;
}): ToolSet {
  const { scope, env, task, agentSlug, outcome, key, workspace } = args;
  let writes = 0;
  const nextId = (what: string) => derivedId(scope.runId, key, what, writes++);
  const taskId = task?.id ?? null;
  const projectId = env.project.id;
  // File changes are logged once per step, numbered in the order the tools made them.
  let changes = 0;
  const logChange = (change: RepoFileChange) => {
    const n = changes++;
    return once(scope, `${key}:file-${n}`, async (tx) => {
      await appendRunEvents(tx, scope, [{ type: "file.changed", taskId, agentSlug, ...change }]);
      return null;
    });
  };
  const writeDocument = async (
    kind: string,
    title: string,
    ownPath: string | null | undefined,
    content: string,
  ) => {
    if (!workspace) return;
    const change = await writeDocumentFile(workspace, artifactFilePath(kind, title, ownPath), content);
    if (change) await logChange(change);
  };

  const findArtifact = (artifactId: string, version?: number) =>
    inTenant(scope, async (tx) => {
      const [ref] = await tx
        .select({ key: artifacts.artifactKey })
        .from(artifacts)
        .where(
          and(
            eq(artifacts.orgId, scope.orgId),
            eq(artifacts.projectId, projectId),
            eq(artifacts.id, artifactId),
          ),
        )
        .limit(1);
      if (!ref) return undefined;
      const [row] = await tx
        .select()
        .from(artifacts)
        .where(
          and(
            eq(artifacts.orgId, scope.orgId),
            eq(artifacts.artifactKey, ref.key),
            ...(version ? [eq(artifacts.version, version)] : []),
          ),
        )
        .orderBy(desc(artifacts.version))
        .limit(1);
      return row;
    });

  const all = {
    read_project_brief: tool({
      description: agentToolDescriptions.read_project_brief,
      inputSchema: agentToolInputSchemas.read_project_brief,
      execute: async () => ({
        name: env.project.name,
        brief: env.project.brief || "No brief has been written yet.",
      }),
    }),
    read_context: tool({
      description: agentToolDescriptions.read_context,
      inputSchema: agentToolInputSchemas.read_context,
      execute: async ({ layer }) => {
        if (layer === "organization") return { standards: env.organization.standards || "None set." };
        if (layer === "project") return { name: env.project.name, brief: env.project.brief };
        if (layer === "task") {
          return task
            ? {
                key: task.key,
                title: task.title,
                description: task.description,
                acceptanceCriteria: task.acceptanceCriteria,
              }
            : { note: "This call has no task." };
        }
        const tasks = await inTenant(scope, (tx) =>
          tx
            .select({
              key: runTasks.key,
              title: runTasks.title,
              agent: runTasks.agentSlug,
              status: runTasks.status,
            })
            .from(runTasks)
            .where(and(eq(runTasks.orgId, scope.orgId), eq(runTasks.runId, scope.runId)))
            .orderBy(runTasks.position),
        );
        return { goal: env.run.goal, template: env.template.name, plan: tasks };
      },
    }),
    read_artifact: tool({
      description: agentToolDescriptions.read_artifact,
      inputSchema: agentToolInputSchemas.read_artifact,
      execute: async ({ artifactId, version }) => {
        const row = await findArtifact(artifactId, version);
        return row ? artifactView(row) : { error: `No artifact ${artifactId} in this project.` };
      },
    }),
    write_artifact: tool({
      description: agentToolDescriptions.write_artifact,
      inputSchema: agentToolInputSchemas.write_artifact,
      execute: async (input) => {
        const id = nextId("artifact");
        await writeDocument(input.kind, input.title, input.path, input.content);
        await inTenant(scope, async (tx) => {
          const inserted = await tx
            .insert(artifacts)
            .values({
              id,
              orgId: scope.orgId,
              projectId,
              runId: scope.runId,
              taskId,
              artifactKey: id,
              version: 1,
              kind: input.kind,
              title: input.title,
              path: input.path ?? null,
              language: input.language ?? null,
              content: input.content,
              summary: input.summary,
              agentSlug,
            })
            .onConflictDoNothing()
            .returning({ id: artifacts.id });
          if (!inserted.length) return;
          await appendRunEvents(tx, scope, [
            {
              type: "artifact.saved",
              artifactId: id,
              taskId,
              kind: input.kind,
              title: input.title,
              version: 1,
            },
          ]);
        });
        outcome.artifactId = id;
        return { id, version: 1 };
      },
    }),
    revise_artifact: tool({
      description: agentToolDescriptions.revise_artifact,
      inputSchema: agentToolInputSchemas.revise_artifact,
      execute: async (input) => {
        const previous = await findArtifact(input.artifactId);
        if (!previous) return { error: `No artifact ${input.artifactId} in this project.` };
        const id = nextId("revision");
        await writeDocument(previous.kind, previous.title, previous.path, input.content);
        const version = await inTenant(scope, async (tx) => {
          const [done] = await tx
            .select({ version: artifacts.version })
            .from(artifacts)
            .where(and(eq(artifacts.orgId, scope.orgId), eq(artifacts.id, id)));
          if (done) return done.version;
          const [{ next } = { next: 1 }] = await tx
            .select({ next: sql<number>`coalesce(max(${artifacts.version}), 0)::int + 1` })
            .from(artifacts)
            .where(and(eq(artifacts.orgId, scope.orgId), eq(artifacts.artifactKey, previous.artifactKey)));
          await tx.insert(artifacts).values({
            ...previous,
            id,
            runId: scope.runId,
            taskId: taskId ?? previous.taskId,
            version: Number(next),
            content: input.content,
            summary: input.summary,
            agentSlug,
            createdAt: new Date(),
          });
          await appendRunEvents(tx, scope, [
            {
              type: "artifact.saved",
              artifactId: id,
              taskId: taskId ?? previous.taskId,
              kind: previous.kind,
              title: previous.title,
              version: Number(next),
            },
          ]);
          return Number(next);
        });
        outcome.artifactId = id;
        return { id, version };
      },
    }),
    record_insight: tool({
      description: agentToolDescriptions.record_insight,
      inputSchema: agentToolInputSchemas.record_insight,
      execute: async (input) => {
        // Kept in the project's knowledge with the feed event, once: a re-run of the step finds
        // its first execution's result (and a member's later edit or removal stands).
        const id = nextId("insight");
        const documentId = await once(scope, `${key}:${id}`, async (tx) => {
          const saved = await saveInsightDocument(tx, {
            orgId: scope.orgId,
            projectId,
            key: `insight:${id}`,
            title: input.title,
            body: input.body,
            tags: input.tags,
            runId: scope.runId,
            taskId,
            agentSlug,
          });
          await appendRunEvents(tx, scope, [
            { type: "insight", taskId, agentSlug, text: `${input.title}\n\n${input.body}` },
          ]);
          return saved.id;
        });
        return { recorded: true, documentId };
      },
    }),
    search_knowledge: tool({
      description: agentToolDescriptions.search_knowledge,
      inputSchema: agentToolInputSchemas.search_knowledge,
      execute: async (input) => {
        const result = await searchKnowledge(
          { orgId: scope.orgId, projectId: input.scope === "organization" ? null : projectId },
          { query: input.query, limit: input.limit ?? 5 },
        );
        return citedPassages(result);
      },
    }),
    add_subtask: tool({
      description: agentToolDescriptions.add_subtask,
      inputSchema: agentToolInputSchemas.add_subtask,
      execute: async (input) => {
        if (!env.catalog.has(input.agent)) {
          return {
            error: `Unknown agent "${input.agent}". Use one of: ${[...env.catalog.keys()].join(", ")}.`,
          };
        }
        const id = nextId("subtask");
        const added = await inTenant(scope, async (tx) => {
          const [existing] = await tx
            .select()
            .from(runTasks)
            .where(and(eq(runTasks.orgId, scope.orgId), eq(runTasks.id, id)));
          if (existing) return existing;
          const [{ count, last } = { count: 0, last: 0 }] = await tx
            .select({
              count: sql<number>`count(*)::int`,
              last: sql<number>`coalesce(max(${runTasks.position}), 0)::int`,
            })
            .from(runTasks)
            .where(and(eq(runTasks.orgId, scope.orgId), eq(runTasks.runId, scope.runId)));
          const [row] = await tx
            .insert(runTasks)
            .values({
              id,
              orgId: scope.orgId,
              runId: scope.runId,
              key: `${task?.key ?? "run"}-followup-${Number(count) + 1}`,
              phaseKey: task?.phaseKey ?? env.template.phases.at(-1)?.key ?? "followup",
              title: input.title,
              description: input.description,
              agentSlug: input.agent,
              priority: input.priority,
              acceptanceCriteria: input.acceptanceCriteria,
              position: Number(last) + 1,
              parentTaskId: taskId,
            })
            .returning();
          if (!row) throw new Error("Subtask was not saved");
          await appendRunEvents(tx, scope, [{ type: "task.added", task: taskSnapshot(row) }]);
          return row;
        });
        return { taskId: added.id, key: added.key };
      },
    }),
    request_human_input: tool({
      description: agentToolDescriptions.request_human_input,
      inputSchema: agentToolInputSchemas.request_human_input,
      execute: async (input) => {
        const agentName = env.catalog.get(agentSlug)?.definition.name ?? agentSlug;
        const prompt = [
          input.question,
          `Why: ${input.why}`,
          ...(input.options?.length ? [`Options: ${input.options.join(" · ")}`] : []),
        ].join("\n");
        const id = nextId("question");
        const approvalId = await inTenant(scope, async (tx) => {
          const [row] = await tx
            .insert(approvals)
            .values({
              id,
              orgId: scope.orgId,
              runId: scope.runId,
              taskId,
              title: `${QUESTION_TITLE_PREFIX}${agentName}`,
              prompt,
              expiresAt: new Date(Date.now() + 7 * 86_400_000),
            })
            .onConflictDoNothing()
            .returning({ id: approvals.id });
          if (!row) return id;
          await appendRunEvents(tx, scope, [
            {
              type: "approval.requested",
              approvalId: row.id,
              taskId,
              title: `${QUESTION_TITLE_PREFIX}${agentName}`,
              prompt,
            },
          ]);
          return row.id;
        });
        outcome.questionApprovalId = approvalId;
        return { sent: true, note: "The team has been asked. Stop now; the task resumes with the answer." };
      },
    }),
  };
  const repoNames = args.granted.filter((name) => (REPO_TOOL_NAMES as readonly string[]).includes(name));
  const repo =
    workspace && repoNames.length
      ? createRepoTools(workspace, {
          onChange: async (change) => {
            await logChange(change);
          },
        })
      : null;
  const execNames = args.granted.filter(isExecToolName);
  const exec =
    workspace && task && args.exec && execNames.length
      ? createExecTools(
          {
            scope,
            projectId: args.exec.projectId,
            origin: args.exec.origin,
            branch: args.exec.branch,
            taskId: task.id,
            attempt: args.exec.attempt,
            agentSlug,
            workspace,
            key,
            sandbox: args.exec.sandbox,
          },
          execNames,
        )
      : {};
  const agentTools = args.granted.filter(isRunToolName);
  return Object.fromEntries([
    ...agentTools.map((name) => [name, all[name]] as const),
    ...(repo ? repoNames.map((name) => [name, repo[name as keyof typeof repo]] as const) : []),
    ...Object.entries(exec),
  ]) as ToolSet;
}
