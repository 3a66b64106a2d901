/**
 * What agents produce. Markdown kinds list their level-2 sections in order: the same list goes into
 * the agent's prompt (output contract), the reviewer's checks and the scripted demo model, so the
 * three cannot drift apart.
 */
export type ArtifactFormat = "markdown" | "code" | "json";

type ArtifactKindSpec = { label: string; format: ArtifactFormat; sections?: readonly string[] };

/** The sections of a technical architecture overview, in order (the architecture template asks for exactly these). */
export const ARCHITECTURE_OVERVIEW_SECTIONS = [
  "Executive summary and principles",
  "System components",
  "Architecture patterns",
  "Technology stack",
  "AI/ML architecture",
  "Agent architecture",
  "Data architecture",
  "Integrations",
  "Scalability",
  "Security",
  "Deployment and operations",
  "Technology evaluation",
  "Risks",
  "Roadmap",
  "Success metrics",
] as const;

export const ARTIFACT_KIND_SPECS = {
  plan: { label: "Run plan", format: "json" },
  review_verdict: { label: "Review verdict", format: "json" },
  run_summary: {
    label: "Run summary",
    format: "markdown",
    sections: ["Outcome", "What was delivered", "Decisions", "Open issues and risks", "Next steps"],
  },
  project_plan: {
    label: "Project plan",
    format: "markdown",
    sections: ["Milestones", "Work breakdown", "Estimates", "Dependencies and critical path", "Risks"],
  },
  requirements: {
    label: "Requirements brief",
    format: "markdown",
    sections: [
      "Problem statement",
      "Stakeholders and users",
      "Goals and success criteria",
      "Functional requirements",
      "Non-functional requirements",
      "Constraints and assumptions",
      "Open questions",
    ],
  },
  research_report: {
    label: "Research report",
    format: "markdown",
    sections: [
      "Question",
      "Method and sources",
      "Findings",
      "Options compared",
      "Recommendation",
      "Open questions",
    ],
  },
  market_analysis: {
    label: "Market analysis",
    format: "markdown",
    sections: [
      "Market overview",
      "Target segments",
      "Competitors",
      "Positioning",
      "Pricing signals",
      "Go-to-market risks",
    ],
  },
  compliance_report: {
    label: "Compliance assessment",
    format: "markdown",
    sections: [
      "Scope and applicable regulations",
      "Data inventory",
      "Obligations",
      "Gaps",
      "Required controls",
      "Questions for counsel",
    ],
  },
  domain_model: {
    label: "Domain model",
    format: "markdown",
    sections: ["Glossary", "Actors", "Core entities", "Business rules", "Key processes", "Edge cases"],
  },
  prd: {
    label: "Product requirements document",
    format: "markdown",
    sections: [
      "Overview",
      "Problem and opportunity",
      "Goals and non-goals",
      "Users and personas",
      "User stories",
      "Functional requirements",
      "Non-functional requirements",
      "Acceptance criteria",
      "Release plan",
      "Open questions",
    ],
  },
  technical_spec: {
    label: "Technical specification",
    format: "markdown",
    sections: [
      "Summary",
      "Context and scope",
      "Proposed design",
      "API and interfaces",
      "Data model changes",
      "Error handling",
      "Testing strategy",
      "Rollout and migration",
      "Alternatives considered",
      "Open questions",
    ],
  },
  architecture_overview: {
    label: "Technical architecture overview",
    format: "markdown",
    sections: ARCHITECTURE_OVERVIEW_SECTIONS,
  },
  adr: {
    label: "Architecture decision record",
    format: "markdown",
    sections: ["Context", "Decision", "Options considered", "Consequences", "Status"],
  },
  technology_evaluation: {
    label: "Technology evaluation",
    format: "markdown",
    sections: ["Evaluation criteria", "Candidates", "Comparison", "Recommendation", "Adoption risks"],
  },
  api_spec: {
    label: "API specification",
    format: "markdown",
    sections: [
      "Overview",
      "Authentication",
      "Resources and endpoints",
      "Errors",
      "Pagination and limits",
      "Versioning",
      "Examples",
    ],
  },
  data_model: {
    label: "Data model",
    format: "markdown",
    sections: [
      "Entities",
      "Relationships",
      "Tenancy and access",
      "Indexes and constraints",
      "Retention and lifecycle",
      "Migration plan",
    ],
  },
  ux_research: {
    label: "UX research",
    format: "markdown",
    sections: [
      "Research goals",
      "Personas",
      "Jobs to be done",
      "User journeys",
      "Pain points",
      "Design implications",
    ],
  },
  ux_spec: {
    label: "UX specification",
    format: "markdown",
    sections: [
      "User flows",
      "Screens",
      "States and edge cases",
      "Content and copy",
      "Accessibility notes",
      "Open questions",
    ],
  },
  design_system: {
    label: "Design system",
    format: "markdown",
    sections: [
      "Principles",
      "Color and typography",
      "Components",
      "Layout and spacing",
      "Motion",
      "Usage guidelines",
    ],
  },
  accessibility_report: {
    label: "Accessibility review",
    format: "markdown",
    sections: ["Scope and standard", "Findings", "Severity summary", "Remediations", "Verification plan"],
  },
  code: { label: "Code", format: "code" },
  code_review: {
    label: "Code review",
    format: "markdown",
    sections: ["Summary", "Blocking issues", "Suggestions", "Security notes", "Test coverage", "Verdict"],
  },
  bug_report: {
    label: "Debugging report",
    format: "markdown",
    sections: ["Symptom", "Reproduction", "Root cause", "Fix", "Verification", "Prevention"],
  },
  documentation: {
    label: "Documentation",
    format: "markdown",
    sections: ["Overview", "Getting started", "Concepts", "How-to guides", "Reference", "Troubleshooting"],
  },
  test_plan: {
    label: "Test plan",
    format: "markdown",
    sections: [
      "Scope",
      "Test strategy",
      "Test cases",
      "Test data and environments",
      "Entry and exit criteria",
      "Risks",
    ],
  },
  test_code: { label: "Test code", format: "code" },
  performance_report: {
    label: "Performance report",
    format: "markdown",
    sections: ["Objectives and budgets", "Workload model", "Results", "Bottlenecks", "Recommendations"],
  },
  security_report: {
    label: "Security assessment",
    format: "markdown",
    sections: ["Scope", "Threat model", "Findings", "Severity summary", "Remediations", "Residual risk"],
  },
  deployment_plan: {
    label: "Deployment plan",
    format: "markdown",
    sections: [
      "Environments",
      "Build and release pipeline",
      "Infrastructure",
      "Configuration and secrets",
      "Rollout strategy",
      "Rollback plan",
      "Operational readiness",
    ],
  },
  monitoring_plan: {
    label: "Monitoring plan",
    format: "markdown",
    sections: ["Service level objectives", "Metrics", "Logs and traces", "Alerts", "Dashboards", "On-call"],
  },
  runbook: {
    label: "Runbook",
    format: "markdown",
    sections: ["Purpose", "Symptoms", "Diagnosis", "Mitigation", "Escalation", "Follow-up"],
  },
  incident_report: {
    label: "Incident report",
    format: "markdown",
    sections: ["Summary", "Impact", "Timeline", "Root cause", "Resolution", "Action items"],
  },
  release_notes: {
    label: "Release notes",
    format: "markdown",
    sections: ["Highlights", "Changes", "Upgrade notes", "Known issues"],
  },
  decision_log: {
    label: "Decision log",
    format: "markdown",
    sections: ["Decisions", "Rationale", "Owners", "Follow-ups"],
  },
  knowledge_entry: {
    label: "Knowledge base entry",
    format: "markdown",
    sections: ["Summary", "Details", "Applies to", "Sources"],
  },
} as const satisfies Record<string, ArtifactKindSpec>;

export type ArtifactKind = keyof typeof ARTIFACT_KIND_SPECS;

export const ARTIFACT_KINDS = Object.keys(ARTIFACT_KIND_SPECS) as [ArtifactKind, ...ArtifactKind[]];

export function artifactKindSpec(kind: ArtifactKind): ArtifactKindSpec {
  return ARTIFACT_KIND_SPECS[kind];
}

/** The level-2 sections a Markdown artifact of this kind must have, in order (empty for code and JSON). */
export function requiredSections(kind: ArtifactKind): readonly string[] {
  const spec: ArtifactKindSpec = ARTIFACT_KIND_SPECS[kind];
  return spec.sections ?? [];
}

const normalizeHeading = (text: string) =>
  text
    .toLowerCase()
    .replace(/^\d+[.)]\s*/, "")
    .replace(/[^a-z0-9/]+/g, " ")
    .trim();

/** The `## ` headings of a Markdown document, outside fenced code blocks. */
export function markdownHeadings(markdown: string): string[] {
  const headings: string[] = [];
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    else if (!inFence) {
      const match = /^##\s+(.+?)\s*#*\s*$/.exec(line);
      if (match?.[1]) headings.push(match[1]);
    }
  }
  return headings;
}

/** Required sections missing from a Markdown artifact (numbering and punctuation in headings are ignored). */
export function missingSections(kind: ArtifactKind, markdown: string): string[] {
  const present = new Set(markdownHeadings(markdown).map(normalizeHeading));
  return requiredSections(kind).filter((section) => !present.has(normalizeHeading(section)));
}
