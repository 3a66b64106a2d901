/**
 * Repository figures on a generated 10,000-file repository (npm run bench:repos):
 *   - working-copy creation: `git clone --shared` of the bare origin, then checkout;
 *   - repository map: build time, rendered size and its token estimate (chars / 4), and the
 *     prompt tokens of a coder's task carrying it, against the same task on a 20-file repository;
 *   - tool call overhead (p50 / p95) of read_file, edit_file and search_code, 200 calls each,
 *     called as the AI SDK calls them (schema-validated input, then execute); list_files and
 *     diff (after the 200 edits), 20 calls each.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { getBuiltinAgent } from "../lib/agents/catalog";
import { git } from "../lib/repos/git";
import { buildRepoMap, renderRepoMap } from "../lib/repos/repo-map";
import { createRepoTools, type RepoToolName, repoToolInputSchemas } from "../lib/repos/tools";
import { assembleContext, estimateTokens } from "../lib/runs/context";

const FILES = Number(process.env.BENCH_FILES ?? 10_000);
const CALLS = 200;

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const moduleSource = (i: number, lines: number) => {
  const body = Array.from(
    { length: lines },
    (_, l) => `  const value${l} = input.items.filter((x) => x.id !== "${i}-${l}").length; // line ${l}`,
  );
  return `import { z } from "zod";\n\n/** Module ${i}. */\nexport function handler${i}(input: { items: { id: string }[] }) {\n${body.join("\n")}\n  return value0;\n}\n`;
};

async function generate(dir: string, count: number): Promise<string[]> {
  const random = rng(42);
  const files: string[] = [];
  await writeFile(
    path.join(dir, "README.md"),
    "# Generated\n\nA generated repository for the bench.\n\n## Usage\n\nnpm start\n",
  );
  await writeFile(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "generated", scripts: { build: "tsc", test: "vitest run" } }, null, 2),
  );
  await writeFile(path.join(dir, ".gitignore"), "node_modules/\ndist/\n");
  for (let i = 0; i < count - 3; i++) {
    const area = ["packages", "apps", "services", "libs"][i % 4];
    const file = `${area}/p${i % 50}/src/m${i % 17}/file-${i}.${random() < 0.8 ? "ts" : "md"}`;
    await mkdir(path.join(dir, path.dirname(file)), { recursive: true });
    await writeFile(path.join(dir, file), moduleSource(i, 10 + Math.floor(random() * 60)));
    files.push(file);
  }
  return files;
}

const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const out = await fn();
  return [out, performance.now() - t];
};

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

function coderPrompt(repository: string) {
  const coder = getBuiltinAgent("coder");
  if (!coder) throw new Error("no coder");
  return assembleContext({
    purpose: "task",
    agent: coder,
    project: { name: "Generated", brief: "A generated project." },
    run: { goal: "Add CSV export.", template: { slug: "feature-build", name: "Feature build" } },
    task: {
      key: "build-export",
      title: "Implement the CSV export",
      description: "Implement the export in the existing service.",
      acceptanceCriteria: ["Exports every row", "Has tests"],
      priority: "high",
      expectedArtifactKind: "code",
    },
    repository,
  }).estimatedTokens;
}

async function main() {
  const root = await mkdtemp(path.join(tmpdir(), "dm-bench-repos-"));
  try {
    const source = path.join(root, "source");
    await mkdir(source);
    await git(["init", "-q", "-b", "main"], { cwd: source });
    const [files, genMs] = await time(() => generate(source, FILES));
    const [, commitMs] = await time(async () => {
      await git(["add", "-A"], { cwd: source });
      await git(["commit", "-q", "-m", "Generated"], { cwd: source });
    });
    const origin = path.join(root, "origin.git");
    await git(["clone", "-q", "--bare", source, origin], { cwd: root });
    console.log(`repository: ${FILES} files (generated in ${ms(genMs)}, committed in ${ms(commitMs)})`);

    const cloneTimes: number[] = [];
    let wc = "";
    for (let i = 0; i < 5; i++) {
      wc = path.join(root, `wc-${i}`);
      const [, t] = await time(async () => {
        await git(["clone", "-q", "--shared", "--no-checkout", origin, wc], { cwd: root });
        await git(["checkout", "-q", "main"], { cwd: wc });
      });
      cloneTimes.push(t);
    }
    console.log(
      `working copy (clone --shared + checkout), 5 runs: p50 ${ms(pct(cloneTimes, 50))}, max ${ms(Math.max(...cloneTimes))}`,
    );

    const mapTimes: number[] = [];
    let rendered = "";
    for (let i = 0; i < 5; i++) {
      const [map, t] = await time(() => buildRepoMap(wc));
      mapTimes.push(t);
      rendered = renderRepoMap(map);
    }
    console.log(
      `repository map: build p50 ${ms(pct(mapTimes, 50))} (5 runs), ${rendered.length} chars ≈ ${estimateTokens(rendered)} tokens`,
    );

    const small = path.join(root, "small");
    await mkdir(small);
    await git(["init", "-q", "-b", "main"], { cwd: small });
    await generate(small, 20);
    await git(["add", "-A"], { cwd: small });
    await git(["commit", "-q", "-m", "small"], { cwd: small });
    const smallMap = renderRepoMap(await buildRepoMap(small));
    console.log(
      `prompt tokens of a coder's task: ${coderPrompt(rendered)} with the ${FILES}-file map, ${coderPrompt(smallMap)} with a 20-file map, ${coderPrompt("")} without a map`,
    );

    const { stdout: head } = await git(["rev-parse", "HEAD"], { cwd: wc });
    const tools = createRepoTools({ dir: wc, baseCommit: head.trim() });
    const call = async (name: RepoToolName, input: unknown) => {
      const parsed = repoToolInputSchemas[name].parse(input);
      const out = await tools[name].execute?.(parsed as never, {
        toolCallId: "bench",
        messages: [],
        context: {},
      });
      if (out && typeof out === "object" && "error" in out) throw new Error(`${name}: ${String(out.error)}`);
    };
    const random = rng(7);
    const pick = () => files[Math.floor(random() * files.length)] as string;
    const measure = async (name: RepoToolName, input: (i: number) => unknown, calls = CALLS) => {
      const xs: number[] = [];
      for (let i = 0; i < calls; i++) {
        const args = input(i);
        const [, t] = await time(() => call(name, args));
        xs.push(t);
      }
      console.log(`${name.padEnd(11)} ${calls} calls: p50 ${ms(pct(xs, 50))}, p95 ${ms(pct(xs, 95))}`);
    };
    await measure("read_file", () => ({ path: pick() }));
    const edited = new Set<string>();
    await measure("edit_file", () => {
      let file = pick();
      while (edited.has(file)) file = pick();
      edited.add(file);
      return { path: file, oldText: "  return value0;\n", newText: "  return value0 + 1;\n" };
    });
    await measure("search_code", (i) => ({ pattern: `handler${(i * 37) % FILES}(`, maxMatches: 20 }));
    // Whole-tree tools, fewer calls: they scale with the repository, not the call.
    await measure("list_files", () => ({ depth: 3 }), 20);
    await measure("diff", () => ({}), 20);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
