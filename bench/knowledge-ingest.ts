/**
 * Knowledge ingestion figures (npm run bench:knowledge-ingest):
 *   - chunking throughput of generated Markdown (MB/s, chunks/s);
 *   - PDF text extraction (pages/s) of a generated 50-page PDF;
 *   - end to end into the database (extract → chunk → store, one transaction per document, as the
 *     processing function does): documents/s and chunks/s, on PGlite (a temporary folder) or
 *     Postgres with DATABASE_URL.
 *   (BENCH_DOCS=n documents of ~BENCH_DOC_KB KB each, defaults 200 and 20)
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PDFDocument, StandardFonts } from "pdf-lib";

const DOCS = Number(process.env.BENCH_DOCS ?? 200);
const DOC_KB = Number(process.env.BENCH_DOC_KB ?? 20);

if (!process.env.DATABASE_URL)
  process.env.PGLITE_DIR = path.join(mkdtempSync(path.join(tmpdir(), "dm-bench-kn-")), "db");

// Imported after the environment is set: the database module reads it on first use.
const { closeDb, getDb, withTenant } = await import("@/db");
const { organizations } = await import("@/db/schema");
const { chunkText } = await import("@/lib/knowledge/chunk");
const { extractDocument } = await import("@/lib/knowledge/extract/extract-document");
const { saveTextDocument } = await import("@/lib/knowledge/save-text-document");

function markdown(seed: number, kb: number): string {
  const parts: string[] = [`# Document ${seed}\n`];
  let i = 0;
  while (parts.join("\n").length < kb * 1024) {
    i++;
    parts.push(`## Section ${i}\n`);
    parts.push(
      `Paragraph ${i} of document ${seed} explains how the deployment pipeline promotes a build from staging to production, which checks gate it and how to roll back. `.repeat(
        3,
      ),
    );
    if (i % 3 === 0)
      parts.push(
        `\`\`\`ts\n${Array.from({ length: 12 }, (_, l) => `const v${l} = step(${l});`).join("\n")}\n\`\`\`\n`,
      );
    if (i % 4 === 0)
      parts.push(
        `${Array.from({ length: 6 }, (_, l) => `- item ${l}: check ${seed}-${i}-${l}`).join("\n")}\n`,
      );
  }
  return parts.join("\n");
}

const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

async function main() {
  const docs = Array.from({ length: DOCS }, (_, i) => markdown(i, DOC_KB));
  const bytes = docs.reduce((n, d) => n + d.length, 0);

  let t = process.hrtime.bigint();
  let chunks = 0;
  for (const d of docs) chunks += chunkText(d, "markdown").length;
  const chunkMs = ms(t);
  console.log(
    `chunking: ${DOCS} docs, ${(bytes / 1e6).toFixed(1)} MB → ${chunks} chunks in ${chunkMs.toFixed(0)} ms` +
      ` (${(bytes / 1e6 / (chunkMs / 1000)).toFixed(1)} MB/s, ${Math.round(chunks / (chunkMs / 1000))} chunks/s)`,
  );

  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < 50; p++) {
    const page = pdf.addPage();
    for (let l = 0; l < 40; l++)
      page.drawText(`Page ${p} line ${l}: release notes and rollback steps.`, {
        x: 40,
        y: 780 - l * 18,
        size: 10,
        font,
      });
  }
  const pdfBytes = await pdf.save();
  t = process.hrtime.bigint();
  const extracted = await extractDocument({ bytes: pdfBytes, fileName: "bench.pdf" });
  const pdfMs = ms(t);
  console.log(
    `pdf extraction: 50 pages, ${extracted.text.length} chars in ${pdfMs.toFixed(0)} ms (${Math.round(50 / (pdfMs / 1000))} pages/s)`,
  );

  const db = await getDb();
  const [org] = await db
    .insert(organizations)
    .values({ name: "Bench", slug: `bench-${Math.random().toString(36).slice(2, 10)}` })
    .returning();
  if (!org) throw new Error("no org");
  t = process.hrtime.bigint();
  for (let i = 0; i < docs.length; i++) {
    const text = (await extractDocument({ bytes: new TextEncoder().encode(docs[i]), fileName: `d${i}.md` }))
      .text;
    await withTenant({ orgId: org.id }, (tx) =>
      saveTextDocument(tx, {
        orgId: org.id,
        projectId: null,
        source: "upload",
        key: `bench:${i}`,
        title: `Document ${i}`,
        text,
        format: "markdown",
      }),
    );
  }
  const storeMs = ms(t);
  console.log(
    `ingest (${process.env.DATABASE_URL ? "Postgres" : "PGlite"}): ${DOCS} docs, ${chunks} chunks in ${(storeMs / 1000).toFixed(1)} s` +
      ` (${(DOCS / (storeMs / 1000)).toFixed(1)} docs/s, ${Math.round(chunks / (storeMs / 1000))} chunks/s)`,
  );
  await closeDb();
}

await main();
