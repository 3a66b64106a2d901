"use client";

import "@xyflow/react/dist/style.css";
import dagre from "@dagrejs/dagre";
import {
  Background,
  Controls,
  type Edge,
  Handle,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
} from "@xyflow/react";
import { useTheme } from "next-themes";
import type * as React from "react";
import { memo, useMemo } from "react";
import { type AgentNames, agentLabel } from "@/components/runs/format";
import { TASK_STATUS_META } from "@/components/runs/status";
import { EmptyState } from "@/components/ui/empty-state";
import type { TaskStatus } from "@/lib/runs/schedule";
import type { RunViewTask } from "@/lib/runs/view-state";
import { cn } from "@/lib/utils";

export type DependencyGraphProps = {
  tasks: RunViewTask[];
  agentNames?: AgentNames;
  className?: string;
};

const NODE_WIDTH = 232;
const NODE_HEIGHT = 76;

type TaskNodeData = { title: string; agent: string; status: TaskStatus };
type TaskNode = Node<TaskNodeData, "task">;

function TaskNodeView({ data }: NodeProps<TaskNode>) {
  const meta = TASK_STATUS_META[data.status];
  return (
    // The status surfaces are tints: an opaque card underneath keeps edges from showing through.
    <div className="rounded-lg bg-card" style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}>
      <div
        className={cn(
          "flex size-full flex-col justify-center gap-1 rounded-lg border-2 px-3 py-2 text-card-foreground shadow-xs",
          meta.surface,
        )}
      >
        <Handle type="target" position={Position.Left} className="border-0! bg-muted-foreground/50!" />
        <div
          className={cn(
            "line-clamp-2 font-medium text-xs leading-snug",
            data.status === "cancelled" && "line-through",
          )}
        >
          {data.title}
        </div>
        <div className="flex items-center justify-between gap-2 text-[11px] text-muted-foreground">
          <span className="truncate">{data.agent}</span>
          <span className={cn("inline-flex shrink-0 items-center gap-1 font-medium", meta.text)}>
            <span aria-hidden="true" className={cn("size-1.5 rounded-full", meta.dot)} />
            {meta.label}
          </span>
        </div>
        <Handle type="source" position={Position.Right} className="border-0! bg-muted-foreground/50!" />
      </div>
    </div>
  );
}

const nodeTypes = { task: TaskNodeView };

/** Task ids a task depends on; the run may record dependencies by task id or by plan key. */
function dependencyIds(task: RunViewTask, idByKey: Map<string, string>, ids: Set<string>): string[] {
  return task.dependsOn.flatMap((dep) =>
    ids.has(dep) ? [dep] : idByKey.has(dep) ? [idByKey.get(dep) as string] : [],
  );
}

/** Left-to-right layers: a task sits to the right of everything it depends on. */
function layout(tasks: RunViewTask[]): Map<string, { x: number; y: number }> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "LR", nodesep: 24, ranksep: 72, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(tasks.map((t) => t.id));
  const idByKey = new Map(tasks.map((t) => [t.key, t.id]));
  for (const task of tasks) graph.setNode(task.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const task of tasks) {
    for (const dep of dependencyIds(task, idByKey, ids)) graph.setEdge(dep, task.id);
  }
  dagre.layout(graph);
  return new Map(
    tasks.map((task) => {
      const node = graph.node(task.id) as { x: number; y: number };
      // dagre gives centres; React Flow wants top-left corners.
      return [task.id, { x: node.x - NODE_WIDTH / 2, y: node.y - NODE_HEIGHT / 2 }];
    }),
  );
}

/** The tasks and their dependencies, read-only. Render on the client only (it measures the DOM). */
export const DependencyGraph = memo(function DependencyGraph({
  tasks,
  agentNames,
  className,
}: DependencyGraphProps) {
  const { resolvedTheme } = useTheme();
  // Positions depend on the structure only, not on statuses: no re-layout on every status change.
  const structure = tasks.map((t) => `${t.id}<${t.dependsOn.join(",")}`).join("|");
  // biome-ignore lint/correctness/useExhaustiveDependencies: `structure` stands for the tasks' shape.
  const positions = useMemo(() => layout(tasks), [structure]);

  const { nodes, edges } = useMemo(() => {
    const ids = new Set(tasks.map((t) => t.id));
    const idByKey = new Map(tasks.map((t) => [t.key, t.id]));
    const statusById = new Map(tasks.map((t) => [t.id, t.status]));
    const nodes: TaskNode[] = tasks.map((task) => ({
      id: task.id,
      type: "task",
      position: positions.get(task.id) ?? { x: 0, y: 0 },
      data: { title: task.title, agent: agentLabel(task.agentSlug, agentNames), status: task.status },
      ariaLabel: `${task.title}: ${TASK_STATUS_META[task.status].label}`,
    }));
    const edges: Edge[] = tasks.flatMap((task) =>
      dependencyIds(task, idByKey, ids).map((dep) => ({
        id: `${dep}->${task.id}`,
        source: dep,
        target: task.id,
        // Work flowing: the dependency is done and this task is being worked on.
        animated: statusById.get(dep) === "done" && task.status === "in_progress",
      })),
    );
    return { nodes, edges };
  }, [tasks, positions, agentNames]);

  if (tasks.length === 0) {
    return (
      <EmptyState
        className={className}
        title="No tasks yet"
        description="The dependency graph appears once the plan is written."
      />
    );
  }

  return (
    <figure
      aria-label="Task dependency graph"
      className={cn("h-[32rem] max-h-[70vh] overflow-hidden rounded-lg border bg-card", className)}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        colorMode={resolvedTheme === "dark" ? "dark" : "light"}
        style={
          {
            "--xy-background-color": "var(--card)",
            "--xy-edge-stroke-default": "color-mix(in oklch, var(--muted-foreground) 70%, transparent)",
          } as React.CSSProperties
        }
        fitView
        fitViewOptions={{ padding: 0.15 }}
        minZoom={0.2}
        maxZoom={1.5}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        zoomOnScroll={false}
        preventScrolling={false}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </figure>
  );
});
