import { ARCHITECTURE_OVERVIEW_SECTIONS, type ArtifactKind } from "@/lib/agents/artifact-kinds";
import { applyApprovalGates, type Plan, type PlanTask, type TaskPriority } from "./plan";

export const RUN_TEMPLATE_SLUGS = [
  "full-delivery",
  "technical-architecture-overview",
  "product-requirements",
  "feature-build",
] as const;

export type RunTemplateSlug = (typeof RUN_TEMPLATE_SLUGS)[number];

export type RunTemplatePhase = { key: string; name: string; goal: string };

/** A pause after a phase: its outgoing results wait for a member with `runs.approve`. */
export type ApprovalGate = { phase: string; title: string; description: string };

export type RunTemplate = {
  slug: RunTemplateSlug;
  name: string;
  description: string;
  phases: RunTemplatePhase[];
  approvalGates: ApprovalGate[];
  /** Handed to the orchestrator with the goal: what the plan must contain and how to shape it. */
  orchestratorGuidance: string;
  /** The artifact the run exists to produce, shown first on the run page. */
  primaryArtifactKind: ArtifactKind;
  /** A sound plan for a typical goal: shown to the orchestrator as an example, and the scripted demo model's plan. */
  referencePlan: Plan;
};

function task(
  key: string,
  agent: string,
  title: string,
  description: string,
  dependsOn: string[],
  priority: TaskPriority,
  acceptanceCriteria: string[],
): PlanTask {
  return { key, agent, title, description, dependsOn, priority, acceptanceCriteria, needsApproval: false };
}

function build(
  template: Omit<RunTemplate, "referencePlan">,
  summary: string,
  tasksByPhase: Record<string, PlanTask[]>,
): RunTemplate {
  const plan: Plan = {
    summary,
    phases: template.phases.map((phase) => ({
      key: phase.key,
      name: phase.name,
      tasks: tasksByPhase[phase.key] ?? [],
    })),
  };
  return {
    ...template,
    referencePlan: applyApprovalGates(
      plan,
      template.approvalGates.map((g) => g.phase),
    ),
  };
}

const SHARED_GUIDANCE =
  "Use only the available agents. Keep each task to one deliverable. Let independent tasks run in parallel by depending only on the tasks whose artifacts they need. Write acceptance criteria the reviewer can check by reading the artifact.";

const sectionList = ARCHITECTURE_OVERVIEW_SECTIONS.join("; ");

const fullDelivery = build(
  {
    slug: "full-delivery",
    name: "Full delivery",
    description:
      "From idea to a deployable product: discovery, product definition, architecture, build, QA and a deployment plan, with approvals after the product definition, the architecture and the deployment plan.",
    phases: [
      { key: "discovery", name: "Discovery", goal: "Understand the problem, users, market and obligations." },
      {
        key: "product-definition",
        name: "Product definition",
        goal: "Agree what to build: the PRD and the UX.",
      },
      {
        key: "architecture",
        name: "Architecture",
        goal: "Decide how to build it: architecture and technical specification.",
      },
      { key: "build", name: "Build", goal: "Write the code and review it." },
      { key: "qa", name: "QA", goal: "Plan and write the tests; audit security." },
      { key: "deployment", name: "Deployment plan", goal: "Plan how it ships and is operated." },
    ],
    approvalGates: [
      {
        phase: "product-definition",
        title: "Approve the product definition",
        description:
          "The PRD and UX specification fix the scope; architecture and build start only after approval.",
      },
      {
        phase: "architecture",
        title: "Approve the architecture",
        description: "Architecture and specification are costly to reverse once code exists.",
      },
      {
        phase: "deployment",
        title: "Approve the deployment plan",
        description: "A person signs off before anything is deployed.",
      },
    ],
    primaryArtifactKind: "prd",
    orchestratorGuidance: `Plan all six phases in order: discovery, product-definition, architecture, build, qa, deployment (use these phase keys). Discovery covers requirements, and market and compliance when the goal involves users or regulated data. Product definition produces the PRD and the UX specification. Architecture produces the technical architecture overview and the technical specification. Build implements the specification (split backend and frontend when both exist) and ends with a code review. QA writes a test plan, automated tests and a security audit; the test plan may start as soon as the PRD and specification exist. Deployment produces the deployment plan and the monitoring plan. The results of the product-definition, architecture and deployment phases need approval. ${SHARED_GUIDANCE}`,
  },
  "Discover the problem and constraints in parallel, fix the scope in a PRD and UX spec, design the architecture, build backend and frontend from one technical spec, verify with tests and a security audit, and finish with a deployment and monitoring plan.",
  {
    discovery: [
      task(
        "requirements-brief",
        "requirements-elicitor",
        "Write the requirements brief",
        "Turn the goal and project brief into a requirements brief: problem, stakeholders, measurable goals, numbered functional and non-functional requirements, constraints, assumptions and open questions.",
        [],
        "high",
        [
          "Functional requirements are numbered and testable",
          "Non-functional requirements state numbers (latency, availability, retention)",
          "Assumptions are labelled as assumptions",
        ],
      ),
      task(
        "market-analysis",
        "market-analyst",
        "Analyse the market and positioning",
        "Describe target segments, competitors and alternatives, a positioning statement and pricing signals for the product in the goal.",
        [],
        "medium",
        ["Compares at least three competitors or alternatives in a table", "States a specific positioning"],
      ),
      task(
        "compliance-review",
        "compliance-analyst",
        "Assess compliance obligations",
        "Identify the regulations that plausibly apply, the data the product handles, the obligations, gaps and the controls later phases must build.",
        [],
        "medium",
        ["Every obligation names its source regulation", "Required controls are specific and testable"],
      ),
    ],
    "product-definition": [
      task(
        "prd",
        "product-manager",
        "Write the product requirements document",
        "Write the PRD from the discovery artifacts: personas, user stories with MoSCoW priorities, functional and non-functional requirements, acceptance criteria in Given/When/Then, MVP release plan.",
        ["requirements-brief", "market-analysis", "compliance-review"],
        "critical",
        [
          "Every must-have user story has Given/When/Then acceptance criteria",
          "Non-goals are listed",
          "The MVP release names its user stories",
        ],
      ),
      task(
        "ux-spec",
        "ux-designer",
        "Design the user flows and screens",
        "Specify the flows for every must-have story, the screens with their empty, loading and error states, the interface copy and accessibility notes.",
        ["prd"],
        "high",
        ["Every must-have story has a flow", "Every screen defines empty, loading and error states"],
      ),
    ],
    architecture: [
      task(
        "architecture-overview",
        "system-architect",
        "Write the technical architecture overview",
        `Design the system and write the technical architecture overview with these sections: ${sectionList}.`,
        ["prd", "compliance-review"],
        "critical",
        [
          "Has all fifteen sections of a technical architecture overview, in order",
          "Includes a component diagram consistent with the System components section",
          "Every risk has a mitigation",
        ],
      ),
      task(
        "technical-spec",
        "technical-spec-writer",
        "Write the technical specification",
        "Specify the MVP's design, interfaces (endpoints with status codes), data model changes, error handling, testing strategy and rollout, consistent with the architecture overview and the UX specification.",
        ["architecture-overview", "ux-spec"],
        "high",
        [
          "Every endpoint lists its request, response and error codes",
          "Includes the data model changes and migration",
        ],
      ),
    ],
    build: [
      task(
        "backend",
        "backend-engineer",
        "Implement the backend",
        "Implement the endpoints, domain logic and migrations from the technical specification, with tenant scoping and authorization checks.",
        ["technical-spec"],
        "high",
        ["Implements every endpoint in the specification", "Every query on tenant data filters by tenant"],
      ),
      task(
        "frontend",
        "frontend-engineer",
        "Implement the frontend",
        "Implement the screens and flows from the UX specification against the backend interfaces in the technical specification.",
        ["technical-spec", "ux-spec"],
        "high",
        ["Implements every screen in the UX specification", "Forms show field errors next to their fields"],
      ),
      task(
        "code-review",
        "code-reviewer",
        "Review the code",
        "Review the backend and frontend code for correctness against the specification, security, maintainability and tests.",
        ["backend", "frontend"],
        "high",
        ["Reviews every code artifact of the build phase", "Each blocking issue has a suggested fix"],
      ),
    ],
    qa: [
      task(
        "test-plan",
        "test-planner",
        "Write the test plan",
        "Plan unit, integration and end-to-end tests traced to the PRD's acceptance criteria and the technical specification, including permission denials and cross-tenant cases.",
        ["prd", "technical-spec"],
        "high",
        [
          "Every must-have acceptance criterion traces to a test case",
          "Includes negative and cross-tenant cases",
        ],
      ),
      task(
        "automated-tests",
        "test-writer",
        "Write the automated tests",
        "Implement the test plan's high-priority cases as automated tests against the backend and frontend code.",
        ["test-plan", "backend", "frontend"],
        "high",
        [
          "Implements every high-priority case in the test plan",
          "Tests run offline with fakes for external services",
        ],
      ),
      task(
        "security-audit",
        "security-auditor",
        "Audit security",
        "Threat-model the system and review the backend and frontend code for vulnerabilities, tenant isolation and secrets handling.",
        ["architecture-overview", "backend", "frontend"],
        "high",
        ["Includes a STRIDE threat model", "Every finding has a severity, location and remediation"],
      ),
    ],
    deployment: [
      task(
        "deployment-plan",
        "devops-engineer",
        "Write the deployment plan",
        "Plan environments, the CI/CD pipeline, infrastructure, configuration and secrets, rollout and rollback for the built system.",
        ["architecture-overview", "code-review", "automated-tests", "security-audit"],
        "high",
        [
          "The rollback plan covers database migrations",
          "Lists every environment variable and where secrets live",
        ],
      ),
      task(
        "monitoring-plan",
        "monitoring-engineer",
        "Write the monitoring plan",
        "Define SLOs, metrics, logs and traces, alerts with runbook links, and dashboards for the system.",
        ["architecture-overview"],
        "medium",
        ["SLOs have numeric targets and windows", "Every paging alert names its runbook"],
      ),
    ],
  },
);

const technicalArchitectureOverview = build(
  {
    slug: "technical-architecture-overview",
    name: "Technical architecture overview",
    description:
      "The system architect fills a technical architecture overview — from executive summary and principles to roadmap and success metrics — from the captured drivers and a technology evaluation, approved by the team and then security-reviewed.",
    phases: [
      {
        key: "scope",
        name: "Scope and drivers",
        goal: "Capture the requirements and constraints that drive the architecture.",
      },
      { key: "evaluation", name: "Technology evaluation", goal: "Compare the candidate technologies." },
      { key: "architecture", name: "Architecture", goal: "Write the technical architecture overview." },
      { key: "review", name: "Security review", goal: "Threat-model the proposed architecture." },
    ],
    approvalGates: [
      {
        phase: "architecture",
        title: "Approve the architecture overview",
        description: "A person accepts the overview before it is security-reviewed and published.",
      },
    ],
    primaryArtifactKind: "architecture_overview",
    orchestratorGuidance: `The run's deliverable is one technical architecture overview written by the system-architect agent, with exactly these sections in this order: ${sectionList}. Plan the phases scope, evaluation, architecture and review (use these keys): capture the architecture drivers (quality attributes, constraints, expected scale), evaluate the candidate technologies, then assign the overview to system-architect with an acceptance criterion naming all fifteen sections, then a security review of the overview. The overview needs approval. Keep the plan small (about four tasks). ${SHARED_GUIDANCE}`,
  },
  "Capture the architecture drivers, evaluate candidate technologies, have the system architect write the fifteen-section technical architecture overview for approval, then threat-model it.",
  {
    scope: [
      task(
        "architecture-drivers",
        "requirements-elicitor",
        "Capture the architecture drivers",
        "Write a requirements brief focused on what drives the architecture: quality attributes in priority order, expected scale and load, hard constraints (hosting, data residency, budget, existing systems) and integrations.",
        [],
        "high",
        [
          "Quality attributes are ranked",
          "Expected scale is stated with numbers or ranges",
          "Hard constraints are listed separately from assumptions",
        ],
      ),
    ],
    evaluation: [
      task(
        "technology-evaluation",
        "technology-advisor",
        "Evaluate candidate technologies",
        "Compare the candidate technologies for the main layers (application framework, database, hosting, model providers when AI is involved) against weighted criteria derived from the drivers.",
        ["architecture-drivers"],
        "high",
        ["Criteria have weights stated before scores", "Compares at least two candidates per decision"],
      ),
    ],
    architecture: [
      task(
        "architecture-overview",
        "system-architect",
        "Write the technical architecture overview",
        `Design the architecture and write the technical architecture overview with exactly these sections, in order: ${sectionList}. Build on the architecture drivers and the technology evaluation.`,
        ["architecture-drivers", "technology-evaluation"],
        "critical",
        [
          `Has exactly these sections in order: ${sectionList}`,
          "No section is empty or a placeholder; sections that do not apply say why",
          "Includes a component diagram consistent with the System components section",
          "Success metrics have numeric targets",
        ],
      ),
    ],
    review: [
      task(
        "security-review",
        "security-auditor",
        "Threat-model the architecture",
        "Threat-model the proposed architecture with STRIDE per component and trust boundary, including tenant isolation and AI-specific risks, and list remediations.",
        ["architecture-overview"],
        "high",
        ["Covers every component of the overview", "Every finding has a severity and a remediation"],
      ),
    ],
  },
);

const productRequirements = build(
  {
    slug: "product-requirements",
    name: "Product requirements",
    description:
      "A product requirements document grounded in requirements, market and user research, approved by the team, with the UX flows and an acceptance test plan derived from it.",
    phases: [
      { key: "discovery", name: "Discovery", goal: "Gather requirements, market and user insight." },
      { key: "definition", name: "Definition", goal: "Write the PRD." },
      { key: "validation", name: "Validation", goal: "Derive UX flows and acceptance tests from the PRD." },
    ],
    approvalGates: [
      {
        phase: "definition",
        title: "Approve the PRD",
        description: "The PRD fixes the scope; the flows and tests build on the approved version.",
      },
    ],
    primaryArtifactKind: "prd",
    orchestratorGuidance: `The run's deliverable is a product requirements document written by the product-manager agent. Plan the phases discovery, definition and validation (use these keys): requirements, market and user research in parallel; then the PRD (needs approval); then UX flows and an acceptance test plan derived from the approved PRD. ${SHARED_GUIDANCE}`,
  },
  "Gather requirements, market and user insight in parallel, write the PRD for approval, then derive UX flows and acceptance tests from it.",
  {
    discovery: [
      task(
        "requirements-brief",
        "requirements-elicitor",
        "Write the requirements brief",
        "Capture the problem, stakeholders, measurable goals, numbered requirements, constraints and open questions for the goal.",
        [],
        "high",
        ["Functional requirements are numbered and testable", "Open questions name who can answer them"],
      ),
      task(
        "market-analysis",
        "market-analyst",
        "Analyse the market",
        "Describe segments, competitors and alternatives, positioning and pricing signals.",
        [],
        "medium",
        ["Compares at least three competitors or alternatives", "States a specific positioning"],
      ),
      task(
        "user-research",
        "ux-researcher",
        "Synthesise user research",
        "Describe personas, jobs to be done, the main journeys and pain points, and their design implications.",
        [],
        "medium",
        ["At least two personas that differ in ways that matter for design", "Pain points are ranked"],
      ),
    ],
    definition: [
      task(
        "prd",
        "product-manager",
        "Write the product requirements document",
        "Write the PRD from the requirements brief, the market analysis and the user research.",
        ["requirements-brief", "market-analysis", "user-research"],
        "critical",
        [
          "Has every PRD section: overview, problem, goals and non-goals, personas, user stories, requirements, acceptance criteria, release plan, open questions",
          "Every must-have user story has Given/When/Then acceptance criteria",
          "The MVP release names its user stories",
        ],
      ),
    ],
    validation: [
      task(
        "ux-flows",
        "ux-designer",
        "Design the user flows",
        "Specify the flows and screens for the PRD's must-have stories, with their states and copy.",
        ["prd"],
        "high",
        ["Every must-have story has a flow", "Every screen defines empty, loading and error states"],
      ),
      task(
        "acceptance-test-plan",
        "test-planner",
        "Write the acceptance test plan",
        "Turn the PRD's acceptance criteria into a test plan with concrete cases.",
        ["prd"],
        "medium",
        ["Every must-have acceptance criterion traces to a test case", "Includes negative cases"],
      ),
    ],
  },
);

const featureBuild = build(
  {
    slug: "feature-build",
    name: "Feature build",
    description:
      "A change to existing code: specify it against the current code, implement it with tests, review it for correctness and security, update the documentation and release notes. Approvals on the specification and before release.",
    phases: [
      { key: "specify", name: "Specify", goal: "Specify the change against the existing code." },
      { key: "build", name: "Build", goal: "Implement the change and its tests." },
      { key: "verify", name: "Verify", goal: "Review the change for correctness and security." },
      { key: "release", name: "Release", goal: "Document and announce the change." },
    ],
    approvalGates: [
      {
        phase: "specify",
        title: "Approve the change specification",
        description: "A person confirms the approach before code is written.",
      },
      {
        phase: "verify",
        title: "Approve the change for release",
        description: "A person signs off the reviewed change.",
      },
    ],
    primaryArtifactKind: "code",
    orchestratorGuidance: `The goal is a change on existing code: read the project brief and the code artifacts you are given. Plan the phases specify, build, verify and release (use these keys): a technical specification of the change that names the files it touches (needs approval), the implementation and its tests, a code review and a security check (approval before release), then documentation and release notes. Prefer small, focused tasks. ${SHARED_GUIDANCE}`,
  },
  "Specify the change against the existing code for approval, implement it with tests, review it for correctness and security, then update the documentation and release notes.",
  {
    specify: [
      task(
        "change-spec",
        "technical-spec-writer",
        "Specify the change",
        "Write the technical specification of the change: the files and modules it touches, the new behaviour, interfaces, data changes, error handling, tests and rollout.",
        [],
        "critical",
        ["Names every file or module the change touches", "Lists the error cases of every changed interface"],
      ),
    ],
    build: [
      task(
        "implementation",
        "coder",
        "Implement the change",
        "Implement the change as specified, following the existing code's conventions.",
        ["change-spec"],
        "critical",
        ["Implements every behaviour in the specification", "Validates all new inputs"],
      ),
      task(
        "tests",
        "test-writer",
        "Write tests for the change",
        "Write unit and integration tests for the new behaviour, including failure paths.",
        ["change-spec", "implementation"],
        "high",
        ["Covers every behaviour in the specification", "Includes at least one failure-path test"],
      ),
    ],
    verify: [
      task(
        "code-review",
        "code-reviewer",
        "Review the change",
        "Review the implementation and tests against the specification.",
        ["implementation", "tests"],
        "high",
        ["Reviews every changed file", "Each blocking issue has a suggested fix"],
      ),
      task(
        "security-check",
        "security-auditor",
        "Check the change for security issues",
        "Review the change for authorization, input validation, injection and secrets handling.",
        ["implementation"],
        "high",
        ["Every finding has a severity and remediation", "States explicitly if no issue was found"],
      ),
    ],
    release: [
      task(
        "docs-update",
        "documentation-writer",
        "Update the documentation",
        "Document the new behaviour for its users and operators.",
        ["implementation", "code-review"],
        "medium",
        ["Covers every user-visible behaviour of the change", "Commands and options match the code"],
      ),
      task(
        "release-notes",
        "release-manager",
        "Write the release notes",
        "Write the release notes for the change, with upgrade notes when configuration or data changes.",
        ["code-review", "security-check", "docs-update"],
        "low",
        ["Lists every user-visible change", "Breaking changes have upgrade steps"],
      ),
    ],
  },
);

const TEMPLATES: Record<RunTemplateSlug, RunTemplate> = {
  "full-delivery": fullDelivery,
  "technical-architecture-overview": technicalArchitectureOverview,
  "product-requirements": productRequirements,
  "feature-build": featureBuild,
};

export function listRunTemplates(): RunTemplate[] {
  return RUN_TEMPLATE_SLUGS.map((slug) => TEMPLATES[slug]);
}

export const isRunTemplateSlug = (value: string): value is RunTemplateSlug =>
  (RUN_TEMPLATE_SLUGS as readonly string[]).includes(value);

export function getRunTemplate(slug: string): RunTemplate | undefined {
  return isRunTemplateSlug(slug) ? TEMPLATES[slug] : undefined;
}

/** The template's gates applied to a plan the orchestrator wrote (see `applyApprovalGates`). */
export function applyTemplateGates(plan: Plan, template: RunTemplate): Plan {
  return applyApprovalGates(
    plan,
    template.approvalGates.map((g) => g.phase),
  );
}
