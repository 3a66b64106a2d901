import { type ArtifactKind, artifactKindSpec, requiredSections } from "@/lib/agents/artifact-kinds";
import type { Rng } from "./random";

/**
 * Scripted Markdown for the demo model: every document has its kind's sections in order, and the
 * text is built from the run's goal so the demo reads like the pipeline it stands in for.
 */
export type DocContext = {
  goal: string;
  /** The goal as a short noun phrase for sentences. */
  subject: string;
  project: string;
  rng: Rng;
  /** Titles of the artifacts the task builds on. */
  inputs: string[];
  criteria: string[];
  /** Review reasons this version addresses (rework). */
  feedback: string[];
  /** Plan outline lines (`[phase] \`key\` title — agent — status`), for summaries. */
  planLines: string[];
};

export const DEMO_NOTICE = "Demo model — scripted output, not AI";

const usesAi = (ctx: DocContext) =>
  /\b(ai|agent|agents|llm|model|models|ml|machine learning|assistant|chatbot)\b/i.test(ctx.goal);

const table = (header: string[], rows: string[][]) =>
  [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");

const list = (items: readonly string[]) => items.map((i) => `- ${i}`).join("\n");
const numbered = (items: readonly string[]) => items.map((i, n) => `${n + 1}. ${i}`).join("\n");

type SectionWriter = (ctx: DocContext) => string;

const ARCHITECTURE: Record<string, SectionWriter> = {
  "Executive summary and principles": (ctx) =>
    [
      `This overview describes the architecture for ${ctx.subject} in ${ctx.project}. It proposes a modular monolith on managed PostgreSQL, with long-running work in durable background functions and live progress streamed to the browser. The design favours a small operational footprint now and clear seams for splitting services later.`,
      "",
      "### Principles",
      numbered(
        ctx.rng.sample(
          [
            "Tenant isolation is enforced by the database (row-level security) and by every query, never by one layer alone.",
            "One deployable unit until a module's load or team ownership justifies a split.",
            "Every side effect of long work is an idempotent, retryable step.",
            "Configuration comes from the environment; secrets are never stored in the repository or logs.",
            "Prefer managed services over self-operated infrastructure.",
            "Everything a user can do has an audit trail.",
            "Design for observability first: every request and job carries an organization and correlation id.",
          ],
          5,
        ),
      ),
      "",
      "### Quality attributes, in priority order",
      numbered([
        "Security and tenant isolation",
        "Reliability of long-running work",
        "Operability",
        "Latency of interactive pages",
        "Cost efficiency",
      ]),
    ].join("\n"),
  "System components": () =>
    [
      "```mermaid",
      "flowchart LR",
      "  U[Browser] -->|HTTPS| W[Web app and API]",
      "  W --> D[(PostgreSQL)]",
      "  W -->|events| J[Background functions]",
      "  J --> D",
      "  J -->|HTTPS| M[Model and external APIs]",
      "  W -->|SSE| U",
      "  J --> O[(Object storage)]",
      "```",
      "",
      table(
        ["Component", "Responsibility", "Interfaces"],
        [
          [
            "Web app and API",
            "Server-rendered pages, JSON API, server actions, authentication",
            "HTTPS, SSE",
          ],
          ["Domain modules", "Business rules per domain, one verb per file", "In-process calls"],
          [
            "Background functions",
            "Durable multi-step work with retries and concurrency limits",
            "Events in, database out",
          ],
          [
            "Event log and stream",
            "Ordered per-entity event log replayed then streamed live",
            "SQL, LISTEN/NOTIFY, SSE",
          ],
          ["PostgreSQL", "System of record with row-level security", "SQL over TLS"],
          ["Object storage", "Large files and exports", "S3 API"],
        ],
      ),
    ].join("\n"),
  "Architecture patterns": (ctx) =>
    list([
      "**Modular monolith**: domain modules with explicit public functions; no module reads another's tables directly.",
      "**Shared-schema multi-tenancy**: every tenant table has `org_id`, protected by row-level security and explicit filters.",
      "**Durable execution**: long work runs as event-triggered functions whose steps are retried independently and never repeat a completed side effect.",
      "**Event sourcing for progress**: work appends events to an ordered log; pages replay it and then follow it live, so reloads resume without duplicates.",
      `**Ports and adapters** at the edges of ${ctx.subject}: providers, mail and storage sit behind small interfaces with offline fakes for tests.`,
    ]),
  "Technology stack": () =>
    table(
      ["Layer", "Choice", "Why"],
      [
        [
          "Web framework",
          "Next.js (App Router) with React",
          "Server components, route handlers and actions in one deployable",
        ],
        ["Language", "TypeScript (strict)", "One language end to end; types shared by API and UI"],
        [
          "Database",
          "PostgreSQL 15+ (embedded PGlite for local use)",
          "Row-level security, JSON, LISTEN/NOTIFY",
        ],
        ["ORM and migrations", "Drizzle ORM and drizzle-kit", "SQL-shaped queries, generated migrations"],
        ["Background work", "Inngest functions", "Durable steps, concurrency keys, waiting for events"],
        ["Validation", "zod", "One schema for routes, actions and forms"],
        ["Testing", "vitest, Playwright", "Fast unit and integration tests; real browser end to end"],
      ],
    ),
  "AI/ML architecture": (ctx) =>
    usesAi(ctx)
      ? [
          `Model calls for ${ctx.subject} go through the AI SDK, so OpenAI, Anthropic, Google and OpenAI-compatible servers (Ollama, vLLM) are interchangeable per organization.`,
          list([
            "**Model tiers**: fast, standard and deep; each agent declares a tier and an organization can pin a model.",
            "**Structured outputs** (zod schemas) for plans and verdicts; free text only for documents.",
            "**Cost control**: a token budget per run, checked before every call; usage and cost recorded per call.",
            "**Evaluation**: a fixed set of goals replayed on each prompt change, scored by the reviewer gate's verdicts.",
            "**Fallback**: a scripted demo model keeps the pipeline working offline, clearly labelled.",
          ]),
        ].join("\n")
      : `Not applicable: ${ctx.subject} has no machine-learning component in its requirements. If one is added, model calls should go through a provider-neutral SDK with per-call usage recording.`,
  "Agent architecture": (ctx) =>
    usesAi(ctx)
      ? [
          "An orchestrator plans the work as tasks with dependencies; specialist agents execute ready tasks in parallel; a reviewer gate checks each result against its acceptance criteria; approval gates pause for people.",
          list([
            "**Tools**: read the brief, context and artifacts; write or revise artifacts; record insights; add subtasks; ask a person.",
            "**Memory**: context in layers (organization standards, project brief, run goal and plan, task), artifacts passed by reference and summary.",
            "**Human in the loop**: approvals and questions pause the run durably until answered or timed out.",
            "**Safety**: tools are scoped to the run's organization and project; prompt-injected instructions in artifacts are treated as data.",
          ]),
        ].join("\n")
      : `Not applicable: ${ctx.subject} does not use autonomous agents. Background work is plain durable functions.`,
  "Data architecture": () =>
    [
      table(
        ["Entity", "Key fields", "Tenancy"],
        [
          ["Organization", "id, slug, name, settings", "Root of tenancy"],
          ["Membership", "org_id, user_id, role", "Per organization"],
          ["Project", "org_id, slug, brief, archived_at", "Per organization"],
          ["Work item", "org_id, project_id, status, priority", "Per organization"],
          ["Event", "org_id, entity_id, seq, type, payload", "Per organization, append-only"],
          ["Audit entry", "org_id, actor_id, action, target, metadata", "Per organization, append-only"],
        ],
      ),
      "",
      "Backups run continuously with point-in-time recovery (RPO 5 minutes, RTO 1 hour). Event payloads older than 180 days are compacted; audit entries are kept for 2 years.",
    ].join("\n"),
  Integrations: () =>
    table(
      ["System", "Direction", "Protocol", "Failure handling"],
      [
        [
          "Identity providers (OIDC, SAML)",
          "Inbound sign-in",
          "OIDC / SAML",
          "Fall back to email sign-in; clear error page",
        ],
        ["Email (SMTP)", "Outbound", "SMTP", "Queued with retries; link shown in development"],
        [
          "Model providers",
          "Outbound",
          "HTTPS + SSE",
          "Retries with backoff; run pauses when the budget is spent",
        ],
        ["Payments", "Both", "HTTPS + signed webhooks", "Webhooks verified and processed idempotently"],
      ],
    ),
  Scalability: (ctx) => {
    const orgs = ctx.rng.pick([200, 500, 1000]);
    return [
      list([
        `**Load assumptions**: ${orgs} active organizations, 20 concurrent runs per organization at peak, 500 concurrent viewers of one stream.`,
        "**Web tier**: stateless; scale horizontally behind a load balancer.",
        "**Background work**: concurrency keyed by organization caps one tenant's share; functions scale with the queue.",
        "**Database**: one primary with read replicas for dashboards; partition the event log by month beyond 100 million rows.",
        "**Streaming**: one LISTEN connection per server fans out to all viewers; p95 delivery target 50 ms.",
      ]),
    ].join("\n");
  },
  Security: () =>
    list([
      "**Identity**: email and password (argon2id), OAuth and SSO; sessions rotate on privilege change.",
      "**Authorization**: permission strings mapped to roles in one place; every route and action checks one.",
      "**Tenant isolation**: row-level security on every tenant table, plus explicit `org_id` filters; cross-tenant requests return 404.",
      "**Secrets**: provider keys encrypted at rest with AES-256-GCM and never returned to the browser.",
      "**Audit**: every mutation writes an audit entry in the same transaction.",
      "**Threat highlights**: tenant data leaks, prompt injection through artifacts, webhook forgery, credential stuffing (rate limits).",
    ]),
  "Deployment and operations": () =>
    list([
      "**Environments**: local (embedded database), preview per pull request, staging, production.",
      "**Pipeline**: lint, type check, unit and integration tests on PostgreSQL, end-to-end tests in Chromium, then migrations and deploy.",
      "**Migrations**: generated, reviewed, applied before the new release; backwards-compatible for one release.",
      "**Observability**: structured logs with organization and request ids, traces for background steps, dashboards per service.",
      "**SLOs**: 99.9% availability for pages and API; 99% of background steps start within 10 seconds.",
    ]),
  "Technology evaluation": () =>
    [
      "Weights are set before scoring (5 = best).",
      "",
      table(
        ["Criterion (weight)", "PostgreSQL", "MySQL", "DynamoDB"],
        [
          ["Tenant isolation support (3)", "5", "3", "3"],
          ["Query flexibility (2)", "5", "4", "2"],
          ["Operational familiarity (2)", "5", "4", "3"],
          ["Local development (1)", "5", "4", "2"],
          ["**Weighted total**", "**40**", "**29**", "**21**"],
        ],
      ),
      "",
      "Recommendation: PostgreSQL. DynamoDB would win only at a scale of write throughput these requirements do not foresee.",
    ].join("\n"),
  Risks: (ctx) =>
    table(
      ["Risk", "Likelihood", "Impact", "Mitigation"],
      [
        [
          "A query misses its tenant filter",
          "Medium",
          "High",
          "Row-level security as a second layer; denial tests per route",
        ],
        [
          "Long work exceeds provider rate limits",
          "Medium",
          "Medium",
          "Per-organization concurrency and backoff",
        ],
        [
          `Scope of ${ctx.subject} grows during build`,
          "High",
          "Medium",
          "Approval gates on the PRD and architecture",
        ],
        ["Event log grows faster than planned", "Low", "Medium", "Monthly partitions and compaction"],
      ],
    ),
  Roadmap: () =>
    list([
      "**Phase 1 (weeks 1-4)**: foundation — tenancy, authentication, projects, audit log.",
      "**Phase 2 (weeks 5-8)**: core workflow end to end with streaming and approvals.",
      "**Phase 3 (weeks 9-12)**: dashboards, usage and cost reporting, SSO, hardening and load tests.",
    ]),
  "Success metrics": () =>
    table(
      ["Metric", "Target", "Measured by"],
      [
        ["Pages and API availability", "≥ 99.9% monthly", "Uptime checks"],
        ["Stream delivery latency", "p95 ≤ 50 ms", "Benchmark in CI"],
        ["Cross-tenant access incidents", "0", "Denial tests and audit review"],
        ["Time from goal to approved plan", "≤ 5 minutes", "Run events"],
      ],
    ),
};

const PRD: Record<string, SectionWriter> = {
  Overview: (ctx) =>
    `${ctx.subject[0]?.toUpperCase()}${ctx.subject.slice(1)} for ${ctx.project}. This document defines who it is for, what it must do, how we will know it works, and what ships first.${ctx.inputs.length ? ` It builds on ${ctx.inputs.map((t) => `«${t}»`).join(", ")}.` : ""}`,
  "Problem and opportunity": (ctx) =>
    `Today the people this serves handle the work behind "${ctx.goal}" by hand, across tools that do not share state. That costs time on every occurrence and makes errors hard to trace. A focused product that keeps the work, its status and its history in one place removes that cost.`,
  "Goals and non-goals": () =>
    [
      "### Goals",
      list([
        "Cut the time to complete the core workflow by 50% for a typical team.",
        "Every change is attributable: who did what, and when.",
        "A new team is productive within 10 minutes of signing up.",
      ]),
      "",
      "### Non-goals",
      list(["A mobile app in the first release.", "Integrations beyond email and SSO in the first release."]),
    ].join("\n"),
  "Users and personas": () =>
    list([
      "**Team lead (Alex)**: sets up the workspace, invites people, needs oversight and approvals.",
      "**Contributor (Sam)**: does the day-to-day work, needs speed and clear status.",
      "**Viewer (Riya)**: follows progress, needs read access without risk of changing anything.",
    ]),
  "User stories": () =>
    table(
      ["Id", "Story", "Priority"],
      [
        [
          "US-1",
          "As a team lead, I want to create a workspace and invite my team so that we work in one place.",
          "Must",
        ],
        [
          "US-2",
          "As a contributor, I want to start the core workflow from a short form so that I save time.",
          "Must",
        ],
        ["US-3", "As a contributor, I want to see live progress so that I know when to act.", "Must"],
        [
          "US-4",
          "As a team lead, I want to approve key results so that nothing ships without review.",
          "Should",
        ],
        [
          "US-5",
          "As a viewer, I want read-only access so that I can follow without changing anything.",
          "Could",
        ],
      ],
    ),
  "Functional requirements": () =>
    list([
      "FR-1 Users can create an organization and invite members by email with a role.",
      "FR-2 Members with the right permission can start, cancel and retry the core workflow.",
      "FR-3 Progress appears live, and reloading the page resumes where it was.",
      "FR-4 Approvers can approve or reject with a comment; the decision is audited.",
      "FR-5 Viewers can read everything in their organization and change nothing.",
    ]),
  "Non-functional requirements": () =>
    list([
      "NFR-1 Pages respond within 300 ms at p95 under normal load.",
      "NFR-2 Availability of 99.9% per month.",
      "NFR-3 No organization can read another's data (verified by tests for every endpoint).",
      "NFR-4 WCAG 2.2 AA for all screens.",
    ]),
  "Acceptance criteria": () =>
    list([
      "**US-1**: Given a signed-in user without an organization, when they create one, then they are its owner and can invite members.",
      "**US-2**: Given a member with permission, when they submit a valid form, then the workflow starts and appears in the list.",
      "**US-3**: Given a running workflow, when the page is reloaded, then progress resumes with no duplicated events.",
      "**US-4**: Given a result awaiting approval, when a viewer tries to approve, then the action is refused.",
    ]),
  "Release plan": () =>
    list([
      "**MVP**: US-1, US-2, US-3 — the core workflow for one team.",
      "**Release 2**: US-4 approvals and audit views.",
      "**Release 3**: US-5 read-only sharing and usage reporting.",
    ]),
  "Open questions": () =>
    list([
      "Which identity providers must SSO support at launch? (Owner: team lead)",
      "What data retention period do customers expect? (Owner: compliance)",
    ]),
};

const TEST_PLAN: Record<string, SectionWriter> = {
  Scope: (ctx) =>
    `In scope: the must-have stories and requirements for ${ctx.subject}, including permissions and tenant isolation. Out of scope: load tests beyond the stated targets (covered by the performance plan).`,
  "Test strategy": () =>
    table(
      ["Level", "Covers", "Tooling"],
      [
        ["Unit", "Validation, scheduling rules, pure functions", "vitest"],
        [
          "Integration",
          "Routes and actions against a real database, with denial cases",
          "vitest + PostgreSQL",
        ],
        ["End to end", "Core flows in a real browser", "Playwright (Chromium)"],
        ["Security", "Cross-tenant and lower-role access on every endpoint", "vitest"],
      ],
    ),
  "Test cases": () =>
    table(
      ["Id", "Traces to", "Steps", "Expected result", "Level"],
      [
        [
          "TC-1",
          "FR-1",
          "Create an organization, invite a member",
          "Invitation sent; member joins with the role",
          "Integration",
        ],
        [
          "TC-2",
          "FR-2",
          "Start the workflow with valid input",
          "Workflow created; status visible",
          "End to end",
        ],
        ["TC-3", "FR-2", "Start with an empty required field", "422 with a field error", "Integration"],
        ["TC-4", "FR-3", "Reload the page mid-run", "Stream resumes, no duplicate events", "End to end"],
        ["TC-5", "FR-5", "Viewer attempts to approve", "403; nothing changes", "Integration"],
        ["TC-6", "NFR-3", "Request another organization's resource", "404", "Integration"],
      ],
    ),
  "Test data and environments": () =>
    list([
      "Factories create an organization with owner, admin, member and viewer, plus an outsider in another organization.",
      "External services are replaced by local fakes (SMTP catcher, scripted model, local HTTP servers).",
      "CI runs against PostgreSQL 15 and the embedded database.",
    ]),
  "Entry and exit criteria": () =>
    list([
      "**Entry**: the specification is approved and the build compiles.",
      "**Exit**: all must-have cases pass, no open blocker or critical defect, denial tests present for every endpoint.",
    ]),
  Risks: () =>
    list([
      "Flaky end-to-end tests from timing: wait on visible state, never on fixed sleeps.",
      "Fakes drifting from real services: keep one contract test per integration.",
    ]),
};

const REQUIREMENTS: Record<string, SectionWriter> = {
  "Problem statement": (ctx) =>
    `Teams asking for ${ctx.subject} handle the work today with shared inboxes and spreadsheets. Status is invisible until someone asks, hand-offs lose context, and nobody can say afterwards who decided what. The goal as stated: "${ctx.goal}"`,
  "Stakeholders and users": () =>
    table(
      ["Who", "Needs"],
      [
        ["Team leads", "Oversight, approvals, an audit trail"],
        ["Contributors", "A fast way to do and hand off the daily work"],
        ["Administrators", "Members, roles, SSO and billing in one place"],
        ["Security and compliance", "Tenant isolation, data retention, evidence for audits"],
      ],
    ),
  "Goals and success criteria": () =>
    table(
      ["Goal", "Metric", "Target"],
      [
        ["Faster core workflow", "Median time from request to done", "−50% within 3 months"],
        ["Trust", "Cross-tenant access incidents", "0"],
        ["Adoption", "Weekly active members per organization", "≥ 60%"],
      ],
    ),
  "Functional requirements": () =>
    list([
      "FR-1 Members sign in with email and password, OAuth or SSO.",
      "FR-2 Owners and admins invite members with a role (owner, admin, member, viewer).",
      "FR-3 Members create and track work items in projects, with live status.",
      "FR-4 Approvers approve or reject results with a comment.",
      "FR-5 Every change is recorded in an audit log that admins can filter and export.",
    ]),
  "Non-functional requirements": () =>
    list([
      "NFR-1 p95 page response ≤ 300 ms; live updates delivered within 1 s.",
      "NFR-2 99.9% monthly availability.",
      "NFR-3 Data of one organization is never visible to another (enforced in the database).",
      "NFR-4 Data stored in the EU when the customer requires it.",
      "NFR-5 WCAG 2.2 AA.",
    ]),
  "Constraints and assumptions": () =>
    [
      "### Constraints",
      list(["Runs on managed PostgreSQL.", "Must work offline for local development."]),
      "",
      "### Assumptions",
      list([
        "Assumption: up to 500 organizations and 20,000 members in the first year.",
        "Assumption: customers accept email as the only notification channel at launch.",
      ]),
    ].join("\n"),
  "Open questions": () =>
    list([
      "Which SSO providers must be supported at launch? — team lead; blocks the identity design.",
      "What retention period do customers require for audit logs? — compliance; blocks the data model.",
    ]),
};

const TECHNOLOGY_EVALUATION: Record<string, SectionWriter> = {
  "Evaluation criteria": () =>
    table(
      ["Criterion", "Weight", "Why it matters here"],
      [
        ["Fit to requirements", "3", "Tenant isolation and live updates are must-haves"],
        ["Team familiarity", "2", "Delivery speed in the first quarter"],
        ["Operating cost", "2", "Margins at 500 organizations"],
        ["Maturity and community", "2", "Hiring and long-term support"],
        ["Lock-in", "1", "Ability to change hosting later"],
      ],
    ),
  Candidates: () =>
    list([
      "**Application**: Next.js full-stack; a separate SPA with a Node API; Rails.",
      "**Database**: PostgreSQL; MySQL; DynamoDB.",
      "**Background work**: Inngest; Temporal; a plain job queue on Redis.",
    ]),
  Comparison: () =>
    table(
      ["Candidate", "Fit (×3)", "Familiarity (×2)", "Cost (×2)", "Maturity (×2)", "Lock-in (×1)", "Total"],
      [
        ["Next.js + PostgreSQL + Inngest", "5", "5", "4", "4", "4", "44"],
        ["SPA + Node API + PostgreSQL + Temporal", "5", "3", "3", "5", "4", "41"],
        ["Rails + MySQL + Redis queue", "3", "2", "4", "5", "5", "36"],
      ],
    ),
  Recommendation: () =>
    "Next.js with PostgreSQL and Inngest (44 points). Temporal becomes the better choice if workflows must run for weeks or need cross-language workers; a proof of concept should verify per-organization concurrency limits and waiting for human approval.",
  "Adoption risks": () =>
    table(
      ["Risk", "Mitigation"],
      [
        [
          "Framework upgrades change APIs",
          "Pin versions; upgrade in dedicated changes with end-to-end tests",
        ],
        [
          "Workflow vendor pricing grows with volume",
          "Keep functions thin; steps callable from a plain queue",
        ],
        ["Row-level security mistakes", "Policies in migrations, denial tests per route"],
      ],
    ),
};

const SECURITY_REPORT: Record<string, SectionWriter> = {
  Scope: (ctx) =>
    `The design and code artifacts of ${ctx.subject}${ctx.inputs.length ? ` (${ctx.inputs.map((t) => `«${t}»`).join(", ")})` : ""}. Assets: tenant data, credentials and provider keys, the audit log.`,
  "Threat model": () =>
    table(
      ["STRIDE", "Threat", "Component"],
      [
        ["Spoofing", "Credential stuffing against sign-in", "Web app"],
        ["Tampering", "Forged webhook calls", "API"],
        ["Repudiation", "A member denies approving a result", "Approvals"],
        ["Information disclosure", "Reading another organization's records by id", "API, database"],
        ["Denial of service", "One tenant exhausting background capacity", "Background functions"],
        ["Elevation of privilege", "A viewer calling an admin action directly", "Server actions"],
      ],
    ),
  Findings: () =>
    table(
      ["Id", "Severity", "Location", "Finding"],
      [
        [
          "S-1",
          "High",
          "API routes",
          "Lookups by id must also filter by organization; otherwise ids from another tenant resolve",
        ],
        ["S-2", "Medium", "Sign-in", "No per-account rate limit is specified"],
        ["S-3", "Medium", "Webhooks", "Signature verification must use the raw body"],
        ["S-4", "Low", "Logs", "Request bodies may contain personal data"],
      ],
    ),
  "Severity summary": () => "0 critical, 1 high, 2 medium, 1 low.",
  Remediations: () =>
    list([
      "S-1: add `org_id` filters to every query and row-level security policies as the second layer; add a cross-tenant test per route.",
      "S-2: rate-limit sign-in per account and per IP with exponential backoff.",
      "S-3: verify signatures on the raw body before parsing; reject stale timestamps.",
      "S-4: log request ids, not bodies; redact known personal fields.",
    ]),
  "Residual risk": () =>
    "After remediation the main residual risk is a future query added without its organization filter; row-level security keeps that from becoming a leak, and denial tests catch it in CI.",
};

const SPECIFIC: Partial<Record<ArtifactKind, Record<string, SectionWriter>>> = {
  architecture_overview: ARCHITECTURE,
  prd: PRD,
  requirements: REQUIREMENTS,
  security_report: SECURITY_REPORT,
  technology_evaluation: TECHNOLOGY_EVALUATION,
  test_plan: TEST_PLAN,
};

const POINT_POOLS: [RegExp, string[]][] = [
  [
    /log|trace|alert|dashboard|on-call|escalat|runbook|symptom|diagnos|mitigat|timeline|impact|action/i,
    [
      "Structured JSON logs carry organization, run and request ids; never secrets or personal data.",
      "Traces cover each request and background step, sampled at 10% and at 100% on errors.",
      "Page on SLO burn rate (2% of the monthly error budget in one hour); open a ticket on slow burns.",
      "Every paging alert links to its runbook and names the owning team.",
      "The on-call dashboard shows error rate, p95 latency and queue depth per service.",
      "Primary and secondary on-call rotate weekly; escalate after 15 minutes without acknowledgement.",
      "Mitigate first (roll back or turn off the feature flag), then diagnose.",
    ],
  ],
  [
    /risk|issue/i,
    [
      "Scope creep during build: mitigated by the approval gate on the specification.",
      "An external dependency is late: keep a fake behind the same interface so work continues.",
      "Assumptions about users prove wrong: validate the top two with five users before build.",
      "Data migration takes longer than planned: rehearse it on a copy of production data.",
    ],
  ],
  [
    /question|counsel/i,
    [
      "Which teams will use it first, and how many people are in them?",
      "Is there a deadline tied to a contract or event?",
      "Which existing systems must it read from or write to?",
      "Who approves the result on the customer's side?",
    ],
  ],
  [
    /metric|objective|budget|slo|success|estimate/i,
    [
      "p95 latency of interactive requests ≤ 300 ms.",
      "Availability ≥ 99.9% per month.",
      "Time to complete the core workflow cut by half against today's baseline.",
      "Error rate of background steps < 0.5%, retried automatically.",
    ],
  ],
  [
    /plan|rollout|migration|roadmap|milestone|release|upgrade|rollback/i,
    [
      "Ship behind a feature flag to internal users first, then 10% of organizations, then everyone.",
      "Apply migrations before the release; keep them backwards-compatible for one release.",
      "Rollback: redeploy the previous build; no migration in this change is destructive.",
      "Milestone 1 delivers the core flow end to end; later milestones add reporting and integrations.",
    ],
  ],
  [
    /security|threat|finding|severity|remediation|control|compliance|obligation|gap/i,
    [
      "Every endpoint checks a permission and scopes queries to the organization (verified by denial tests).",
      "Secrets are encrypted at rest (AES-256-GCM) and never returned to the browser.",
      "Inputs are validated with schemas; outputs are encoded for their context.",
      "Audit entries record who changed what, in the same transaction as the change.",
    ],
  ],
  [
    /data|entit|model|glossary|inventory|index|retention/i,
    [
      "Every tenant table carries `org_id`, protected by row-level security.",
      "Identifiers are UUIDs; human-facing slugs are unique per organization.",
      "Personal data is limited to what the workflow needs and deleted with the account.",
      "Indexes follow the main queries: by organization and recency.",
    ],
  ],
  [
    /user|persona|stakeholder|actor|journey|segment|job/i,
    [
      "Team leads who set up the workspace and approve results.",
      "Contributors who do the daily work and need speed and clear status.",
      "Viewers who follow progress without changing anything.",
      "Administrators who manage members, SSO and billing.",
    ],
  ],
  [
    /test|verification|reproduction/i,
    [
      "A failing test reproduces the behaviour before any change.",
      "Integration tests run against a real database, including denial cases.",
      "End-to-end tests cover the core flow in a real browser.",
      "Each check has an expected result that can fail.",
    ],
  ],
];

const DEFAULT_POINTS = [
  "Keep the first release focused on the core workflow; everything else builds on it.",
  "Reuse the organization's existing conventions, components and infrastructure.",
  "Make every decision traceable to a requirement or a constraint.",
  "Prefer the simplest design that meets the acceptance criteria.",
  "State assumptions explicitly so reviewers can challenge them.",
  "Name an owner for each follow-up, by role.",
  "Measure before and after, so the change can be judged on numbers.",
  "Keep the vocabulary of the domain glossary in every artifact.",
  "Call out what is deliberately left out, and why.",
  "Prefer reversible decisions early; record the irreversible ones.",
];

/** A section built from the pools; `used` keeps points from repeating within one document. */
function genericSection(section: string, ctx: DocContext, used: Set<string>, first: boolean): string {
  const pool = POINT_POOLS.find(([re]) => re.test(section))?.[1] ?? DEFAULT_POINTS;
  const fresh = pool.filter((p) => !used.has(p));
  const points = ctx.rng.sample(fresh.length >= 2 ? fresh : pool, 3);
  for (const p of points) used.add(p);
  const lead = first
    ? `This section covers ${section.toLowerCase()} for ${ctx.subject}.`
    : ctx.rng.pick([
        `${section}, as currently scoped:`,
        "In short:",
        `Key points on ${section.toLowerCase()}:`,
      ]);
  return `${lead}\n\n${list(points)}`;
}

const RUN_SUMMARY: Record<string, SectionWriter> = {
  Outcome: (ctx) => {
    const failed = ctx.planLines.filter((l) => /— (failed|cancelled)$/.test(l));
    return failed.length
      ? `The run for "${ctx.goal}" finished with ${failed.length} task(s) not completed; the rest of the plan was delivered.`
      : `The run for "${ctx.goal}" delivered every planned task.`;
  },
  "What was delivered": (ctx) =>
    ctx.inputs.length ? list(ctx.inputs.map((t) => `«${t}»`)) : "No artifacts were produced.",
  Decisions: (ctx) =>
    list([
      `The plan followed the run template for ${ctx.subject}.`,
      "Results passed the reviewer gate against their acceptance criteria; gated results were approved by a member.",
    ]),
  "Open issues and risks": (ctx) => {
    const open = ctx.planLines.filter((l) => !/— done$/.test(l));
    return open.length ? list(open) : "None recorded.";
  },
  "Next steps": () =>
    list([
      "Share the delivered artifacts with the stakeholders named in the brief.",
      "Start a follow-up run for the next release increment.",
    ]),
};

/** A Markdown document of the given kind with all its required sections, in order. */
export function writeDocument(kind: ArtifactKind, ctx: DocContext): string {
  const label = artifactKindSpec(kind).label;
  const writers = kind === "run_summary" ? RUN_SUMMARY : (SPECIFIC[kind] ?? {});
  const head = [
    `# ${label}: ${ctx.subject}`,
    "",
    `> ${DEMO_NOTICE}. This ${label.toLowerCase()} was generated from a script to demonstrate the pipeline; it is not advice.`,
  ];
  if (ctx.feedback.length) {
    head.push(">", `> Revised to address the review: ${ctx.feedback.join("; ")}`);
  }
  const used = new Set<string>();
  const body = requiredSections(kind).map((section, i) => {
    const writer = writers[section];
    return `## ${section}\n\n${writer ? writer(ctx) : genericSection(section, ctx, used, i === 0)}`;
  });
  return [...head, "", ...body.flatMap((b) => [b, ""])].join("\n").trimEnd().concat("\n");
}

/** "a customer feedback portal" from "Build a customer feedback portal for our support team." */
export function subjectOf(goal: string): string {
  const first = goal.trim().split(/(?<=[.!?])\s/)[0] ?? goal;
  const stripped = first
    .replace(/[.!?]+$/, "")
    .replace(
      /^(please\s+)?(build|create|design|write|make|develop|implement|add|produce|plan|document)\s+/i,
      "",
    )
    .replace(
      /^(an?\s+|the\s+)?(technical\s+)?(architecture|requirements|product requirements|prd|specification|spec|plan|documentation|design)(\s+overview|\s+document)?\s+(of|for)\s+/i,
      "",
    )
    .trim();
  const short = stripped.length > 80 ? `${stripped.slice(0, 77).replace(/\s+\S*$/, "")}…` : stripped;
  return short || "the project";
}
