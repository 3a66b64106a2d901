import type { Permission } from "@/lib/auth/permissions";

/** Scope sets for the usual jobs, offered on the API keys page; a creator sees the ones they may grant. */
export const SCOPE_PRESETS: { id: string; label: string; description: string; scopes: Permission[] }[] = [
  {
    id: "read",
    label: "Read only",
    description: "Dashboards and reports: read projects, runs, usage and code.",
    scopes: ["org.read", "projects.read", "runs.read", "repos.read"],
  },
  {
    id: "ci",
    label: "CI and scripts",
    description: "Start and follow runs, decide gates.",
    scopes: ["projects.read", "runs.read", "runs.start", "runs.approve"],
  },
  {
    id: "ide",
    label: "IDE agent (MCP)",
    description: "Work tasks from Cursor, Claude Code or VS Code: read and edit plans, push to run branches.",
    scopes: ["projects.read", "projects.write", "runs.read", "runs.start", "repos.read", "repos.write"],
  },
];

/** The scopes a key may be given in the order the page lists them, grouped by what they touch. */
export const SCOPE_GROUPS: { label: string; scopes: Permission[] }[] = [
  {
    label: "Projects and runs",
    scopes: ["projects.read", "projects.write", "runs.read", "runs.start", "runs.approve"],
  },
  { label: "Repositories", scopes: ["repos.read", "repos.write", "repos.write_default"] },
  { label: "Organization", scopes: ["org.read", "members.read", "audit.read", "agents.manage"] },
  {
    label: "Administration",
    scopes: ["integrations.manage", "members.invite", "members.manage", "org.manage"],
  },
];
