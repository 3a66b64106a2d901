/** The plan-edit verbs (one per file); REST, MCP and the task board's server actions call these. */
export { addRunTask } from "./add-run-task";
export { approveRunPlan } from "./approve-run-plan";
export { claimExternalTask, type ExternalClaim } from "./claim-external-task";
export { completeExternalTask } from "./complete-external-task";
export { listReadyExternalTasks, type ReadyExternalTask } from "./list-external-tasks";
export { removeRunTask } from "./remove-run-task";
export { reorderRunTasks } from "./reorder-run-tasks";
export * from "./schemas";
export { updateRunTask } from "./update-run-task";
export { updateTaskContext } from "./update-task-context";
