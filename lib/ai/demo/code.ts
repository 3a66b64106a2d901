import { slugify } from "@/lib/projects/slug";
import { DEMO_NOTICE } from "./documents";

/**
 * The demo model's program: a small but real Node program (ES modules, standard library only)
 * with `node:test` tests, written by the build agents file by file so that the project's test
 * command (`npm test` → `node --test`) really runs and really passes in the sandbox, with no
 * install and no network. Every file says it is demo output.
 *
 * - backend / coder: `src/<slug>.js`, a validated in-memory store (create with field errors,
 *   list scoped by organization, newest first, bounded page size), and `test/<slug>.test.js`.
 * - frontend: `src/<slug>-view.js`, pure rendering to escaped HTML, and `test/<slug>-view.test.js`.
 * - test writer: `test/<slug>.more.test.js`, the failure paths of the store.
 *
 * One scripted attempt per run writes the store with a real off-by-one in its page size
 * (`scriptedBug`), which its own test catches; the rework fixes exactly that line.
 */
export type CodeFile = { path: string; language: string; title: string; content: string; summary: string };

/** The files one agent writes for its task: `main` is saved as the artifact, `files` all go to the repository. */
export type CodeWork = {
  main: CodeFile;
  files: CodeFile[];
  /** Whether the agent adds a README section about its main file. */
  readmeSection: boolean;
};

/** The command the demo's package.json makes the project's test command (`scripts.test` is detected as `npm test`). */
export const DEMO_TEST_COMMAND = "npm test";
export const DEMO_TEST_SCRIPT = "node --test";

/**
 * The one task per run whose first attempt carries the scripted bug, by template: the first
 * code task that writes tests. Other templates have none.
 */
export const SCRIPTED_FAILURE_TASKS: Readonly<Record<string, string>> = {
  "feature-build": "implementation",
  "full-delivery": "backend",
};

export function featureSlug(subject: string): string {
  const words = subject
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, " ")
    .split(/[\s-]+/)
    .filter((w) => w && !["a", "an", "the", "for", "of", "to", "and", "with", "our", "new"].includes(w));
  return words.slice(0, 3).join("-") || "feature";
}

/** A JavaScript identifier part: "csv-export-orders" → "CsvExportOrders" (never starting with a digit). */
export function pascal(slug: string): string {
  const name = slug
    .split("-")
    .map((w) => (w[0]?.toUpperCase() ?? "") + w.slice(1))
    .join("");
  return /^[A-Za-z]/.test(name) ? name : `Feature${name}`;
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

const header = (subject: string, what: string) =>
  `// ${DEMO_NOTICE}: a scripted example for "${oneLine(subject)}".\n// ${what}\n`;

const js = (value: string) => JSON.stringify(value);

/** The store's page loop: the buggy line (attempt 1 of the scripted task) and its fix. */
const PAGE_LOOP_BUGGY = "    for (let i = 0; i <= max && i < newest.length; i++) page.push(copy(newest[i]));";
const PAGE_LOOP_FIXED = "    for (let i = 0; i < max && i < newest.length; i++) page.push(copy(newest[i]));";

function storeModule(slug: string, subject: string, buggy: boolean): string {
  const N = pascal(slug);
  return `${header(subject, "Standard library only (Node ES modules); its tests run with `npm test` (node --test).")}import { randomUUID } from "node:crypto";

export const TITLE_MIN_LENGTH = 3;
export const TITLE_MAX_LENGTH = 200;
export const DESCRIPTION_MAX_LENGTH = 4000;
export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 200;

/** A rejected request: \`code\` is "validation" (with \`errors\`, one per field) or "not_found". */
export class ${N}Error extends Error {
  constructor(code, message, errors = []) {
    super(message);
    this.name = "${N}Error";
    this.code = code;
    this.errors = errors;
  }
}

/**
 * Checks and normalizes the input of a new item: a trimmed title of TITLE_MIN_LENGTH to
 * TITLE_MAX_LENGTH characters and an optional trimmed description of up to DESCRIPTION_MAX_LENGTH.
 * Returns { ok: true, value } or { ok: false, errors: [{ field, message }] }.
 */
export function validate${N}Input(input) {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: "", message: "Send an object with a title." }] };
  }
  const errors = [];
  const title = typeof input.title === "string" ? input.title.trim() : "";
  if (title.length < TITLE_MIN_LENGTH) {
    errors.push({ field: "title", message: "Give a title of at least " + TITLE_MIN_LENGTH + " characters." });
  } else if (title.length > TITLE_MAX_LENGTH) {
    errors.push({ field: "title", message: "Keep the title to " + TITLE_MAX_LENGTH + " characters." });
  }
  let description = "";
  if (input.description !== undefined && typeof input.description !== "string") {
    errors.push({ field: "description", message: "The description must be text." });
  } else {
    description = (input.description ?? "").trim();
    if (description.length > DESCRIPTION_MAX_LENGTH) {
      errors.push({
        field: "description",
        message: "Keep the description to " + DESCRIPTION_MAX_LENGTH + " characters.",
      });
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: { title, description } };
}

/** A page size between 1 and MAX_LIST_LIMIT; anything that is not a number gets the default. */
export function clampLimit(limit) {
  if (typeof limit !== "number" || !Number.isFinite(limit)) return DEFAULT_LIST_LIMIT;
  return Math.min(Math.max(Math.trunc(limit), 1), MAX_LIST_LIMIT);
}

/**
 * An in-memory store of items, each in one organization. \`now\` and \`newId\` can be given, so
 * tests control time and ids. Callers get copies: changing them never changes the store.
 */
export function create${N}Store({ now = () => new Date(), newId = randomUUID } = {}) {
  const rows = [];
  const copy = (row) => ({ ...row, createdAt: new Date(row.createdAt) });

  function create(orgId, input) {
    if (typeof orgId !== "string" || !orgId) {
      throw new ${N}Error("validation", "An organization is required.", [
        { field: "orgId", message: "An organization is required." },
      ]);
    }
    const checked = validate${N}Input(input);
    if (!checked.ok) throw new ${N}Error("validation", checked.errors[0].message, checked.errors);
    const row = { id: newId(), orgId, ...checked.value, createdAt: now() };
    rows.push(row);
    return copy(row);
  }

  /** The organization's items, newest first (the later of two at the same time first), at most \`limit\`. */
  function list(orgId, { limit } = {}) {
    const max = clampLimit(limit);
    const newest = rows
      .filter((row) => row.orgId === orgId)
      .reverse()
      .sort((a, b) => b.createdAt - a.createdAt);
    const page = [];
${buggy ? PAGE_LOOP_BUGGY : PAGE_LOOP_FIXED}
    return page;
  }

  /** One item of the organization; another organization's item is not found, like a missing one. */
  function get(orgId, id) {
    const row = rows.find((r) => r.orgId === orgId && r.id === id);
    if (!row) throw new ${N}Error("not_found", "There is no such item in this organization.");
    return copy(row);
  }

  return { create, list, get };
}
`;
}

function storeTests(slug: string, subject: string): string {
  const N = pascal(slug);
  return `${header(subject, "The store's behaviour, with node:test and node:assert (no dependencies).")}import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ${N}Error, create${N}Store } from "../src/${slug}.js";

/** A store with a clock that moves one minute per item and predictable ids. */
function fixture() {
  let n = 0;
  return create${N}Store({
    newId: () => "item-" + ++n,
    now: () => new Date(Date.UTC(2026, 0, 1, 9, n)),
  });
}

describe(${js(`${oneLine(subject)}: create and list`)}, () => {
  it("creates an item in the caller's organization", () => {
    const store = fixture();
    const item = store.create("org-a", { title: "First item", description: "Details" });
    assert.equal(item.id, "item-1");
    assert.equal(item.orgId, "org-a");
    assert.equal(item.title, "First item");
    assert.equal(item.createdAt.toISOString(), "2026-01-01T09:01:00.000Z");
    assert.deepEqual(store.get("org-a", "item-1"), item);
  });

  it("trims the title and the description", () => {
    const item = fixture().create("org-a", { title: "  Padded title  ", description: "  Some text " });
    assert.equal(item.title, "Padded title");
    assert.equal(item.description, "Some text");
  });

  it("rejects a short title with a field error and stores nothing", () => {
    const store = fixture();
    assert.throws(
      () => store.create("org-a", { title: " x " }),
      (error) => error instanceof ${N}Error && error.code === "validation" && error.errors[0].field === "title",
    );
    assert.deepEqual(store.list("org-a"), []);
  });

  it("lists the organization's items newest first, never another organization's", () => {
    const store = fixture();
    store.create("org-a", { title: "Older" });
    store.create("org-b", { title: "Theirs" });
    store.create("org-a", { title: "Newer" });
    assert.deepEqual(
      store.list("org-a").map((item) => item.title),
      ["Newer", "Older"],
    );
    assert.deepEqual(
      store.list("org-b").map((item) => item.title),
      ["Theirs"],
    );
  });

  it("returns at most the requested number of items", () => {
    const store = fixture();
    for (const title of ["First", "Second", "Third"]) store.create("org-a", { title });
    assert.deepEqual(
      store.list("org-a", { limit: 2 }).map((item) => item.title),
      ["Third", "Second"],
    );
  });
});
`;
}

function moreTests(slug: string, subject: string): string {
  const N = pascal(slug);
  return `${header(subject, "Failure paths of the store, with node:test and node:assert (no dependencies).")}import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ${N}Error,
  clampLimit,
  create${N}Store,
  DEFAULT_LIST_LIMIT,
  MAX_LIST_LIMIT,
  validate${N}Input,
} from "../src/${slug}.js";

const fieldsOf = (result) => (result.ok ? [] : result.errors.map((e) => e.field));

describe(${js(`${oneLine(subject)}: failure paths`)}, () => {
  it("rejects input that is not an object", () => {
    for (const input of [null, undefined, "a title", 42, ["a title"]]) {
      assert.deepEqual(fieldsOf(validate${N}Input(input)), [""], String(input));
    }
  });

  it("rejects a missing, blank or too long title, and a too long description", () => {
    assert.deepEqual(fieldsOf(validate${N}Input({})), ["title"]);
    assert.deepEqual(fieldsOf(validate${N}Input({ title: "      " })), ["title"]);
    assert.deepEqual(fieldsOf(validate${N}Input({ title: "x".repeat(201) })), ["title"]);
    assert.deepEqual(fieldsOf(validate${N}Input({ title: "Fine", description: "y".repeat(4001) })), [
      "description",
    ]);
    assert.equal(validate${N}Input({ title: "x".repeat(200), description: "y".repeat(4000) }).ok, true);
  });

  it("rejects a description that is not text, and reports every bad field at once", () => {
    assert.deepEqual(fieldsOf(validate${N}Input({ title: "ab", description: 7 })), ["title", "description"]);
  });

  it("refuses to create without an organization, and stores nothing on bad input", () => {
    const store = create${N}Store();
    assert.throws(() => store.create("", { title: "Valid title" }), { code: "validation" });
    assert.throws(() => store.create("org-a", { title: 5 }), ${N}Error);
    assert.deepEqual(store.list("org-a"), []);
  });

  it("does not find another organization's item, nor a missing one", () => {
    const store = create${N}Store();
    const item = store.create("org-a", { title: "Private item" });
    assert.throws(() => store.get("org-b", item.id), { code: "not_found" });
    assert.throws(() => store.get("org-a", "no-such-id"), { code: "not_found" });
    assert.equal(store.get("org-a", item.id).title, "Private item");
  });

  it("bounds the page size: at least one, at most the maximum, the default for anything else", () => {
    assert.equal(clampLimit(0), 1);
    assert.equal(clampLimit(-5), 1);
    assert.equal(clampLimit(10_000), MAX_LIST_LIMIT);
    assert.equal(clampLimit(Number.NaN), DEFAULT_LIST_LIMIT);
    assert.equal(clampLimit("10"), DEFAULT_LIST_LIMIT);
    const store = create${N}Store();
    store.create("org-a", { title: "One item" });
    store.create("org-a", { title: "Another item" });
    assert.equal(store.list("org-a", { limit: 0 }).length, 1);
  });

  it("hands out copies: changing a returned item does not change the store", () => {
    const store = create${N}Store();
    const item = store.create("org-a", { title: "Original" });
    item.title = "Changed";
    store.list("org-a")[0].title = "Changed again";
    assert.equal(store.get("org-a", item.id).title, "Original");
  });
});
`;
}

function viewModule(slug: string, subject: string): string {
  const N = pascal(slug);
  return `${header(subject, "Pure rendering to escaped HTML strings, standard library only; tested with `npm test`.")}
const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** The list of items (as the store returns them, newest first), or an empty state. */
export function render${N}List(items, { emptyText = "Nothing here yet." } = {}) {
  if (!items.length) return '<p class="empty">' + escapeHtml(emptyText) + "</p>";
  const rows = items.map((item) => {
    const when = new Date(item.createdAt).toISOString();
    const description = item.description ? "<p>" + escapeHtml(item.description) + "</p>" : "";
    return (
      '  <li id="' + escapeHtml(item.id) + '"><h3>' + escapeHtml(item.title) + "</h3>" +
      description + '<time datetime="' + when + '">' + when.slice(0, 10) + "</time></li>"
    );
  });
  return '<ul class="${slug}-list">\\n' + rows.join("\\n") + "\\n</ul>";
}

function field(name, label, control, errors) {
  const error = errors.find((e) => e.field === name);
  const described = error ? ' aria-invalid="true" aria-describedby="' + name + '-error"' : "";
  const message = error ? '<p id="' + name + '-error" role="alert">' + escapeHtml(error.message) + "</p>" : "";
  return '<label for="' + name + '">' + label + "</label>" + control(described) + message;
}

/**
 * The form to create an item: labelled fields, each field's error (from the store's validation,
 * [{ field, message }]) right after its field, and the values kept after a failed submit.
 */
export function render${N}Form({ values = {}, errors = [] } = {}) {
  const title = field(
    "title",
    "Title",
    (extra) => '<input id="title" name="title" required minlength="3" maxlength="200" value="' +
      escapeHtml(values.title) + '"' + extra + ">",
    errors,
  );
  const description = field(
    "description",
    "Description",
    (extra) => '<textarea id="description" name="description" rows="4"' + extra + ">" +
      escapeHtml(values.description) + "</textarea>",
    errors,
  );
  return '<form method="post">' + title + description + '<button type="submit">Create</button></form>';
}
`;
}

function viewTests(slug: string, subject: string): string {
  const N = pascal(slug);
  return `${header(subject, "The rendering's behaviour, with node:test and node:assert (no dependencies).")}import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escapeHtml, render${N}Form, render${N}List } from "../src/${slug}-view.js";

const item = (id, title, minute, description = "") => ({
  id,
  title,
  description,
  orgId: "org-a",
  createdAt: new Date(Date.UTC(2026, 0, 1, 9, minute)),
});

describe(${js(`${oneLine(subject)}: rendering`)}, () => {
  it("escapes markup in every value", () => {
    assert.equal(escapeHtml("<b>\\"Tom\\" & 'Jerry'</b>"), "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;");
    const html = render${N}List([item("x\\"1", "<script>alert(1)</script>", 1)]);
    assert.ok(!html.includes("<script>"), html);
    assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
    assert.ok(html.includes('id="x&quot;1"'), html);
  });

  it("renders the items in the order given, with their dates", () => {
    const html = render${N}List([item("b", "Newer", 2, "Second one"), item("a", "Older", 1)]);
    assert.ok(html.indexOf("Newer") < html.indexOf("Older"), html);
    assert.ok(html.includes('<time datetime="2026-01-01T09:02:00.000Z">2026-01-01</time>'), html);
    assert.ok(html.includes("<p>Second one</p>"), html);
    assert.equal(html.match(/<li /g)?.length, 2);
  });

  it("shows an empty state instead of an empty list", () => {
    assert.equal(render${N}List([]), '<p class="empty">Nothing here yet.</p>');
    assert.equal(render${N}List([], { emptyText: "No <items>" }), '<p class="empty">No &lt;items&gt;</p>');
  });

  it("puts each field's error next to its field and keeps the values", () => {
    const html = render${N}Form({
      values: { title: "ab", description: "Kept" },
      errors: [{ field: "title", message: "Give a title of at least 3 characters." }],
    });
    assert.ok(html.includes('aria-describedby="title-error"'), html);
    assert.match(html, /<input id="title"[^>]*>(<p id="title-error" role="alert">Give a title of at least 3 characters\\.<\\/p>)<label for="description">/);
    assert.ok(!html.includes("description-error"), html);
    assert.ok(html.includes('value="ab"') && html.includes(">Kept</textarea>"), html);
  });
});
`;
}

/** The package.json of a repository that has none: the test command runs Node's own runner. */
export function demoPackageJson(projectName: string): string {
  const pkg = {
    name: slugify(projectName) || "demo-project",
    version: "0.1.0",
    private: true,
    description: `${DEMO_NOTICE}: a scripted example program, standard library only. Run its tests with \`npm test\`.`,
    type: "module",
    scripts: { test: DEMO_TEST_SCRIPT },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/**
 * What to write to an existing package.json so that the project has a test command: null when
 * it has one already (or cannot be read as JSON: then it is left as it is).
 */
export function packageJsonWithTestScript(existing: string): string | null {
  let pkg: unknown;
  try {
    pkg = JSON.parse(existing);
  } catch {
    return null;
  }
  if (typeof pkg !== "object" || pkg === null || Array.isArray(pkg)) return null;
  const record = pkg as Record<string, unknown>;
  const scripts = record.scripts;
  if (scripts !== undefined && (typeof scripts !== "object" || scripts === null || Array.isArray(scripts)))
    return null;
  const test = (scripts as Record<string, unknown> | undefined)?.test;
  if (typeof test === "string" && test.trim() && !/no test specified/i.test(test)) return null;
  const next = { ...record, scripts: { ...(scripts as Record<string, unknown>), test: DEMO_TEST_SCRIPT } };
  return `${JSON.stringify(next, null, 2)}\n`;
}

/** The scripted bug: where it is, the exact text to replace (as written) and its fix. */
export function scriptedBug(subject: string): {
  path: string;
  oldText: string;
  newText: string;
  test: string;
} {
  return {
    path: `src/${featureSlug(subject)}.js`,
    oldText: PAGE_LOOP_BUGGY,
    newText: PAGE_LOOP_FIXED,
    test: "returns at most the requested number of items",
  };
}

const file = (path: string, title: string, content: string, summary: string): CodeFile => ({
  path,
  language: "javascript",
  title,
  content,
  summary,
});

/**
 * The files an agent writes for its task. `buggy` writes the store with the scripted
 * off-by-one (only for the agents that write the store).
 */
export function codeWork(
  agent: string,
  kind: "code" | "test_code",
  subject: string,
  opts: { buggy?: boolean } = {},
): CodeWork {
  const slug = featureSlug(subject);
  const N = pascal(slug);
  if (kind === "test_code") {
    const main = file(
      `test/${slug}.more.test.js`,
      `Tests for ${subject}`,
      moreTests(slug, subject),
      `node:test tests of the failure paths of src/${slug}.js: input that is not an object, missing, blank and too long fields, a missing organization, another organization's item (not found), page-size bounds and copies. No dependencies; run with \`npm test\`. ${DEMO_NOTICE}.`,
    );
    return { main, files: [main], readmeSection: true };
  }
  if (agent === "frontend-engineer") {
    const main = file(
      `src/${slug}-view.js`,
      `View for ${subject}`,
      viewModule(slug, subject),
      `Pure rendering for ${subject}: render${N}List (escaped HTML, newest first as given, an empty state) and render${N}Form (labelled fields, each field's error next to it, values kept). Tested in test/${slug}-view.test.js with node:test. ${DEMO_NOTICE}.`,
    );
    const tests = file(
      `test/${slug}-view.test.js`,
      `Tests of the view for ${subject}`,
      viewTests(slug, subject),
      `node:test tests of src/${slug}-view.js.`,
    );
    // No README section: the frontend works in parallel with the backend, whose section it would conflict with.
    return { main, files: [main, tests], readmeSection: false };
  }
  const main = file(
    `src/${slug}.js`,
    `Store for ${subject}`,
    storeModule(slug, subject, !!opts.buggy),
    `The ${subject} store (Node, standard library only): create${N}Store with create (validated input, field errors, nothing stored on bad input), list (one organization's items, newest first, at most the requested page size) and get (another organization's item is not found). Tested in test/${slug}.test.js with node:test. ${DEMO_NOTICE}.`,
  );
  const tests = file(
    `test/${slug}.test.js`,
    `Tests of the store for ${subject}`,
    storeTests(slug, subject),
    `node:test tests of src/${slug}.js.`,
  );
  return { main, files: [main, tests], readmeSection: true };
}

/** The main file a build agent writes for its task (its artifact). */
export function writeCodeFile(
  agent: string,
  kind: "code" | "test_code",
  subject: string,
  opts: { buggy?: boolean } = {},
): CodeFile {
  return codeWork(agent, kind, subject, opts).main;
}
