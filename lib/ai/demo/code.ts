import { DEMO_NOTICE } from "./documents";

/** Scripted code files for the demo model's build agents: complete, consistent, and labelled. */
export type CodeFile = { path: string; language: string; title: string; content: string; summary: string };

function featureSlug(subject: string): string {
  const words = subject
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, " ")
    .split(/\s+/)
    .filter((w) => w && !["a", "an", "the", "for", "of", "to", "and", "with", "our", "new"].includes(w));
  return words.slice(0, 3).join("-") || "feature";
}

const pascal = (slug: string) =>
  slug
    .split("-")
    .map((w) => (w[0]?.toUpperCase() ?? "") + w.slice(1))
    .join("");

const header = (subject: string) => `// ${DEMO_NOTICE}: a scripted example for "${subject}".\n`;

function service(slug: string, subject: string): string {
  const name = pascal(slug);
  return `${header(subject)}import { z } from "zod";

export const create${name}Input = z.object({
  title: z.string().trim().min(3, "Give a title of at least 3 characters.").max(200),
  description: z.string().trim().max(4000).default(""),
});

export type ${name} = { id: string; orgId: string; title: string; description: string; createdAt: Date };

export interface ${name}Store {
  insert(item: ${name}): Promise<void>;
  listByOrg(orgId: string, limit: number): Promise<${name}[]>;
}

export class ${name}Error extends Error {
  constructor(
    readonly code: "validation" | "not_found",
    message: string,
  ) {
    super(message);
  }
}

/** Creates an item in the caller's organization; input is validated before anything is stored. */
export async function create${name}(
  store: ${name}Store,
  ctx: { orgId: string; now: () => Date; newId: () => string },
  input: unknown,
): Promise<${name}> {
  const parsed = create${name}Input.safeParse(input);
  if (!parsed.success) {
    throw new ${name}Error("validation", parsed.error.issues[0]?.message ?? "Invalid input.");
  }
  const item: ${name} = { id: ctx.newId(), orgId: ctx.orgId, createdAt: ctx.now(), ...parsed.data };
  await store.insert(item);
  return item;
}

/** Lists the organization's items, newest first; the store never returns another organization's rows. */
export async function list${name}s(store: ${name}Store, orgId: string, limit = 50): Promise<${name}[]> {
  const items = await store.listByOrg(orgId, Math.min(Math.max(limit, 1), 200));
  return items.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}
`;
}

function component(slug: string, subject: string): string {
  const name = pascal(slug);
  return `"use client";
${header(subject)}import { useId, useState } from "react";

type Props = { onSubmit: (input: { title: string; description: string }) => Promise<{ error?: string }> };

/** The form to create a ${subject} item: labelled fields, inline errors, disabled while saving. */
export function ${name}Form({ onSubmit }: Props) {
  const titleId = useId();
  const errorId = useId();
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  return (
    <form
      aria-describedby={error ? errorId : undefined}
      onSubmit={async (event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        setPending(true);
        const result = await onSubmit({
          title: String(data.get("title") ?? ""),
          description: String(data.get("description") ?? ""),
        });
        setPending(false);
        setError(result.error);
      }}
    >
      <label htmlFor={titleId}>Title</label>
      <input id={titleId} name="title" required minLength={3} aria-invalid={!!error} />
      <label htmlFor={\`\${titleId}-description\`}>Description</label>
      <textarea id={\`\${titleId}-description\`} name="description" rows={4} />
      {error ? (
        <p id={errorId} role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Create"}
      </button>
    </form>
  );
}
`;
}

function tests(slug: string, subject: string): string {
  const name = pascal(slug);
  return `${header(subject)}import { describe, expect, it } from "vitest";
import { create${name}, list${name}s, type ${name}, ${name}Error, type ${name}Store } from "./service";

function memoryStore(): ${name}Store & { rows: ${name}[] } {
  const rows: ${name}[] = [];
  return {
    rows,
    insert: async (item) => void rows.push(item),
    listByOrg: async (orgId, limit) => rows.filter((r) => r.orgId === orgId).slice(0, limit),
  };
}

const ctx = (orgId: string) => {
  let n = 0;
  return { orgId, now: () => new Date(Date.UTC(2026, 0, 1, 0, n)), newId: () => \`id-\${++n}\` };
};

describe("${subject}", () => {
  it("creates an item in the caller's organization", async () => {
    const store = memoryStore();
    const item = await create${name}(store, ctx("org-a"), { title: "First item" });
    expect(item.orgId).toBe("org-a");
    expect(store.rows).toHaveLength(1);
  });

  it("rejects a short title and stores nothing", async () => {
    const store = memoryStore();
    await expect(create${name}(store, ctx("org-a"), { title: "x" })).rejects.toBeInstanceOf(${name}Error);
    expect(store.rows).toHaveLength(0);
  });

  it("never lists another organization's items", async () => {
    const store = memoryStore();
    await create${name}(store, ctx("org-a"), { title: "Ours" });
    await create${name}(store, ctx("org-b"), { title: "Theirs" });
    const items = await list${name}s(store, "org-a");
    expect(items.map((i) => i.title)).toEqual(["Ours"]);
  });
});
`;
}

/** The file a build agent writes for its task. */
export function writeCodeFile(agent: string, kind: "code" | "test_code", subject: string): CodeFile {
  const slug = featureSlug(subject);
  if (kind === "test_code") {
    return {
      path: `src/${slug}/service.test.ts`,
      language: "typescript",
      title: `Tests for ${subject}`,
      content: tests(slug, subject),
      summary: `Vitest tests for the ${subject} service: creation in the caller's organization, validation that stores nothing on bad input, and tenant isolation when listing.`,
    };
  }
  if (agent === "frontend-engineer") {
    return {
      path: `src/components/${slug}/${slug}-form.tsx`,
      language: "tsx",
      title: `${pascal(slug)}Form component`,
      content: component(slug, subject),
      summary: `An accessible React form to create a ${subject} item: labelled inputs, an inline alert for errors and a disabled submit button while saving.`,
    };
  }
  return {
    path: `src/${slug}/service.ts`,
    language: "typescript",
    title: `${subject} service`,
    content: service(slug, subject),
    summary: `The ${subject} service: a zod-validated create operation scoped to the caller's organization and a newest-first listing, behind a storage interface that tests can fake.`,
  };
}
