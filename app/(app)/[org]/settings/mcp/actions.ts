"use server";

import { revalidatePath } from "next/cache";
import { orgAction } from "@/lib/api/action";
import { createMcpServer } from "@/lib/mcp-client/create-mcp-server";
import { deleteMcpServer } from "@/lib/mcp-client/delete-mcp-server";
import { refreshMcpTools } from "@/lib/mcp-client/refresh-mcp-tools";
import {
  createMcpServerInput,
  mcpServerIdInput,
  setToolGrantsInput,
  updateMcpServerInput,
} from "@/lib/mcp-client/schemas";
import { setToolGrants } from "@/lib/mcp-client/set-tool-grants";
import { updateMcpServer } from "@/lib/mcp-client/update-mcp-server";

const PERMISSION = "integrations.manage" as const;
const page = (slug: string) => `/${slug}/settings/mcp`;

/** Registers the server, then lists its tools at once (a failure to list is shown as its last error). */
export const createMcpServerAction = orgAction(
  { permission: PERMISSION, schema: createMcpServerInput },
  async (input, ctx) => {
    const created = await createMcpServer(ctx, input);
    const refreshed = created.enabled ? await refreshMcpTools(ctx, { id: created.id }) : created;
    revalidatePath(page(ctx.org.slug));
    return refreshed;
  },
);

/** Saves the edit; when the URL or headers were sent, an enabled server is tried at once (its tools listed again). */
export const updateMcpServerAction = orgAction(
  { permission: PERMISSION, schema: updateMcpServerInput },
  async (input, ctx) => {
    const updated = await updateMcpServer(ctx, input);
    const reconnect = updated.enabled && (input.url !== undefined || input.headers !== undefined);
    const server = reconnect ? await refreshMcpTools(ctx, { id: updated.id }) : updated;
    revalidatePath(page(ctx.org.slug));
    return server;
  },
);

export const deleteMcpServerAction = orgAction(
  { permission: PERMISSION, schema: mcpServerIdInput },
  async (input, ctx) => {
    const result = await deleteMcpServer(ctx, input);
    revalidatePath(page(ctx.org.slug));
    return result;
  },
);

export const refreshMcpToolsAction = orgAction(
  { permission: PERMISSION, schema: mcpServerIdInput },
  async (input, ctx) => {
    const server = await refreshMcpTools(ctx, input);
    revalidatePath(page(ctx.org.slug));
    return server;
  },
);

export const setToolGrantsAction = orgAction(
  { permission: PERMISSION, schema: setToolGrantsInput },
  async (input, ctx) => {
    const server = await setToolGrants(ctx, input);
    revalidatePath(page(ctx.org.slug));
    return server;
  },
);
