"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db";
import { userAction } from "@/lib/api/action";
import { runningEngine } from "@/lib/engine/embedded";
import { getRunDetail } from "@/lib/engine/queries";
import { AppError, notFound } from "@/lib/errors";
import { assertInstanceAdmin } from "./instance-admin";

const runSchema = z.object({
  runId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "Not a run id"),
});

async function engine() {
  const running = await runningEngine()?.catch(() => undefined);
  if (!running) {
    throw new AppError(
      "conflict",
      "The embedded engine is not running here; with ENGINE=inngest, manage runs in Inngest.",
    );
  }
  return running;
}

export const cancelRunAction = userAction(runSchema, async ({ runId }, user) => {
  await assertInstanceAdmin(user);
  const run = await getRunDetail(await getDb(), runId);
  if (!run) throw notFound("No such run.");
  if (!(await (await engine()).cancelRun(runId, user.email))) {
    throw new AppError("conflict", "This run has already finished.");
  }
  revalidatePath(`/admin/engine/runs/${runId}`);
  return { runId };
});

export const replayRunAction = userAction(runSchema, async ({ runId }, user) => {
  await assertInstanceAdmin(user);
  const run = await getRunDetail(await getDb(), runId);
  if (!run) throw notFound("No such run.");
  if (run.status !== "failed" && run.status !== "cancelled") {
    throw new AppError("conflict", "Only failed or cancelled runs can be replayed.");
  }
  const replayId = await (await engine()).replayRun(runId, user.email);
  revalidatePath("/admin/engine");
  return { runId: replayId };
});
