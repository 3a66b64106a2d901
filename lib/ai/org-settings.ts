import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { type Tx, withTenant } from "@/db";
import { orgAiSettings } from "@/db/schema";
import type { ModelTier } from "@/lib/agents/schema";
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import { aiEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { embeddingModelFor } from "@/lib/knowledge/embeddings/embedding-model-for";
import { requestEmbeddings } from "@/lib/knowledge/embeddings/request-embeddings";
import { assertPublicUrl } from "@/lib/net/assert-public-url";
import type { OrgContext } from "@/lib/orgs/context";
import { DEMO_MODEL_LABEL } from "./demo-label";
import { orgModelFetch } from "./model-fetch";
import {
  describeProvider,
  PROVIDER_KINDS,
  type ProviderConfig,
  providerConfigFromEnv,
  providerConfigSchema,
  type ResolvedModel,
  resolveModel,
} from "./providers";
import type { ResilienceOptions } from "./resilient-model";

/**
 * An organization's AI settings: its own model provider (the API key encrypted at rest and never
 * sent back), the default token budget of a run, how many runs may go at once, and the standards
 * every agent is told to follow. Runs resolve their model here: organization → instance → demo.
 */

export const DEFAULT_TOKEN_BUDGET = 200_000;
export const DEFAULT_MAX_CONCURRENT_RUNS = 2;

type StoredProvider =
  Exclude<ProviderConfig, { kind: "demo" }> extends infer P
    ? P extends { apiKey?: string }
      ? Omit<P, "apiKey">
      : never
    : never;

export type ProviderView =
  | (StoredProvider & { hasKey: boolean })
  | { kind: "demo"; hasKey: false; seed?: number; chunkDelayMs?: number };

export type AiSettingsView = {
  /** The organization's own provider; null when it uses the instance's. */
  provider: ProviderView | null;
  hasKey: boolean;
  defaultTokenBudget: number;
  maxConcurrentRuns: number;
  standards: string;
  /** The install step (e.g. `npm ci`) runs with network before the offline checks. */
  installWithNetwork: boolean;
  updatedAt: string | null;
  /** What the instance provides when the organization has no provider of its own. */
  instance: { kind: string; label: string; models: string[]; usesDemoModel: boolean };
  /** What runs will use now. */
  effective: RunModelDescription;
};

export type RunModelDescription = { usesDemoModel: boolean; modelLabel: string };

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalText = (max: number, message: string) =>
  z.preprocess(blankToUndefined, z.string().trim().max(max, message).optional());
const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean());
/** A switch that must say yes or no: anything else is refused rather than read as "off". */
const strictSwitch = z.preprocess(
  (v) =>
    v === "on" || v === "true" || v === "1" ? true : v === "off" || v === "false" || v === "0" ? false : v,
  z.boolean({ message: "Choose on or off." }),
);

/**
 * Flat so the settings form posts it as is. `providerKind: "instance"` drops the organization's
 * provider; a blank `apiKey` keeps the stored key (same provider kind), `clearKey` removes it.
 */
export const aiSettingsInputSchema = z.object({
  providerKind: z.enum(["instance", ...PROVIDER_KINDS], { message: "Choose a provider." }),
  apiKey: optionalText(500, "That API key is too long."),
  clearKey: checkbox.optional(),
  baseURL: optionalText(500, "Keep the URL under 500 characters."),
  name: optionalText(40, "Use a short lowercase name like ollama or vllm."),
  modelFast: optionalText(200, "Keep the model id under 200 characters."),
  modelStandard: optionalText(200, "Keep the model id under 200 characters."),
  modelDeep: optionalText(200, "Keep the model id under 200 characters."),
  /** For knowledge search; blank: the provider's default (none for OpenAI-compatible servers). */
  embeddingModel: optionalText(200, "Keep the model id under 200 characters."),
  defaultTokenBudget: z.coerce
    .number({ message: "Give a number of tokens." })
    .int("Give a whole number of tokens.")
    .min(1_000, "A run needs a budget of at least 1,000 tokens.")
    .max(100_000_000, "Keep the budget under 100,000,000 tokens."),
  maxConcurrentRuns: z.coerce
    .number({ message: "Give a number of runs." })
    .int("Give a whole number of runs.")
    .min(1, "Allow at least one run at a time.")
    .max(20, "At most 20 runs can go at once."),
  standards: z.preprocess(
    (v) => v ?? "",
    z.string().max(20_000, "Keep the standards under 20,000 characters."),
  ),
  /** Left out: unchanged. */
  installWithNetwork: strictSwitch.optional(),
});

export type AiSettingsInput = z.infer<typeof aiSettingsInputSchema>;

type Row = typeof orgAiSettings.$inferSelect;

async function loadRow(tx: Tx, orgId: string): Promise<Row | undefined> {
  const [row] = await tx.select().from(orgAiSettings).where(eq(orgAiSettings.orgId, orgId)).limit(1);
  return row;
}

/** The organization's provider with its key decrypted, or null when it has none. */
function orgProviderConfig(row: Row | undefined): ProviderConfig | null {
  if (!row?.provider) return null;
  const apiKey = row.apiKeyEncrypted ? decryptSecret(row.apiKeyEncrypted) : undefined;
  const parsed = providerConfigSchema.safeParse({ ...row.provider, ...(apiKey ? { apiKey } : {}) });
  // A stored provider that no longer validates (e.g. its key was cleared) is not used.
  return parsed.success ? parsed.data : null;
}

function instanceConfig(): ProviderConfig {
  return providerConfigFromEnv(aiEnv());
}

function describeConfig(config: ProviderConfig): RunModelDescription {
  if (config.kind === "demo") return { usesDemoModel: true, modelLabel: DEMO_MODEL_LABEL };
  const { label, models } = describeProvider(config);
  return { usesDemoModel: false, modelLabel: `${label} · ${models.join(", ")}` };
}

function toProviderView(row: Row): ProviderView | null {
  if (!row.provider) return null;
  const { apiKey: _drop, ...rest } = row.provider as Record<string, unknown>;
  return { ...rest, hasKey: Boolean(row.apiKeyEncrypted) } as ProviderView;
}

function toView(row: Row | undefined): AiSettingsView {
  const instance = instanceConfig();
  const own = orgProviderConfig(row);
  return {
    provider: row ? toProviderView(row) : null,
    hasKey: Boolean(row?.apiKeyEncrypted),
    defaultTokenBudget: row?.defaultTokenBudget ?? DEFAULT_TOKEN_BUDGET,
    maxConcurrentRuns: row?.maxConcurrentRuns ?? DEFAULT_MAX_CONCURRENT_RUNS,
    standards: row?.standards ?? "",
    installWithNetwork: row?.installWithNetwork ?? false,
    updatedAt: row?.updatedAt.toISOString() ?? null,
    instance: { ...describeProvider(instance), usesDemoModel: instance.kind === "demo" },
    effective: describeConfig(own ?? instance),
  };
}

export async function getAiSettings(ctx: OrgContext): Promise<AiSettingsView> {
  return toView(await ctx.tx((tx) => loadRow(tx, ctx.org.id)));
}

function fieldError(field: string, message: string): AppError {
  return new AppError("validation", "Some fields are invalid.", { fieldErrors: { [field]: [message] } });
}

/** Builds the provider to store from the form and the stored row; the key travels separately. */
function providerFromInput(
  input: AiSettingsInput,
  current: Row | undefined,
): { provider: Record<string, unknown> | null; apiKeyEncrypted: string | null } {
  if (input.providerKind === "instance") return { provider: null, apiKeyEncrypted: null };
  if (input.providerKind === "demo") return { provider: { kind: "demo" }, apiKeyEncrypted: null };

  const sameKind = (current?.provider as { kind?: string } | null)?.kind === input.providerKind;
  const storedKey =
    sameKind && current?.apiKeyEncrypted && !input.clearKey
      ? decryptSecret(current.apiKeyEncrypted)
      : undefined;
  const apiKey = input.apiKey ?? storedKey;
  const candidate = {
    kind: input.providerKind,
    ...(input.providerKind === "openai-compatible" ? { name: input.name ?? "local" } : {}),
    baseURL: input.baseURL,
    apiKey,
    models: { fast: input.modelFast, standard: input.modelStandard, deep: input.modelDeep },
    embeddingModel: input.embeddingModel,
  };
  const parsed = providerConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const [head, sub] = issue.path.map(String);
      const field =
        head === "models"
          ? sub
            ? `model${sub[0]?.toUpperCase()}${sub.slice(1)}`
            : "modelStandard"
          : (head ?? "providerKind");
      fieldErrors[field] ??= [];
      fieldErrors[field].push(issue.message);
    }
    throw new AppError("validation", "Some fields are invalid.", { fieldErrors });
  }
  const { apiKey: key, ...provider } = parsed.data as ProviderConfig & { apiKey?: string };
  return { provider, apiKeyEncrypted: key ? encryptSecret(key) : null };
}

/**
 * Saves the settings, audited in the same transaction. The key is never echoed back. Turning the
 * install step's network on or off gets an audit entry of its own
 * (`ai_settings.install_with_network`), since it lets code from the project's dependencies reach
 * the network.
 */
export async function updateAiSettings(ctx: OrgContext, input: AiSettingsInput): Promise<AiSettingsView> {
  if (input.clearKey && input.apiKey) {
    throw fieldError("apiKey", "Either enter a new key or remove the stored one, not both.");
  }
  // Network (DNS) check outside the transaction: a slow resolver must not hold database locks.
  if (input.baseURL && input.providerKind !== "instance" && input.providerKind !== "demo") {
    await assertPublicUrl(input.baseURL, {
      field: "baseURL",
      allowHttp: true,
      example: "https://api.example.com/v1",
    });
  }
  let embeddingBefore: string | null = null;
  const row = await ctx.tx(async (tx) => {
    const [current] = await tx
      .select()
      .from(orgAiSettings)
      .where(eq(orgAiSettings.orgId, ctx.org.id))
      .limit(1)
      .for("update");
    embeddingBefore = embeddingModelId(current);
    const { provider, apiKeyEncrypted } = providerFromInput(input, current);
    const values = {
      provider,
      apiKeyEncrypted,
      defaultTokenBudget: input.defaultTokenBudget,
      maxConcurrentRuns: input.maxConcurrentRuns,
      standards: input.standards.trim(),
      installWithNetwork: input.installWithNetwork ?? current?.installWithNetwork ?? false,
      updatedAt: new Date(),
    };
    const [saved] = current
      ? await tx.update(orgAiSettings).set(values).where(eq(orgAiSettings.orgId, ctx.org.id)).returning()
      : await tx
          .insert(orgAiSettings)
          .values({ ...values, orgId: ctx.org.id })
          .returning();
    if (!saved) throw new Error("AI settings were not saved");
    await ctx.audit(tx, {
      action: "ai_settings.update",
      target: { type: "org_ai_settings", id: ctx.org.id },
      metadata: {
        provider: input.providerKind,
        keyChanged: Boolean(input.apiKey) || Boolean(input.clearKey),
        defaultTokenBudget: input.defaultTokenBudget,
        maxConcurrentRuns: input.maxConcurrentRuns,
        standardsChanged: (current?.standards ?? "") !== values.standards,
        installWithNetwork: values.installWithNetwork,
      },
    });
    if ((current?.installWithNetwork ?? false) !== values.installWithNetwork) {
      await ctx.audit(tx, {
        action: "ai_settings.install_with_network",
        target: { type: "org_ai_settings", id: ctx.org.id },
        metadata: {
          installWithNetwork: values.installWithNetwork,
          change: values.installWithNetwork
            ? "Install step with network turned on"
            : "Install step with network turned off",
        },
      });
    }
    return saved;
  });
  const embeddingAfter = embeddingModelId(row);
  if (embeddingAfter && embeddingAfter !== embeddingBefore) {
    // Best effort: the settings are saved; if the event is lost, the embedding sweep finds the
    // chunks of the old model within minutes.
    await requestEmbeddings(ctx.org.id, "embedding model changed").catch(() => {});
  }
  return toView(row);
}

/** The id vectors are stored under for this row's effective provider (`openai:text-embedding-3-small`), or null. */
function embeddingModelId(row: Row | undefined): string | null {
  return embeddingModelFor(orgProviderConfig(row) ?? instanceConfig())?.id ?? null;
}

/** What a run needs from the settings, read by the run function (system scope, one organization). */
export type OrgRunSettings = {
  defaultTokenBudget: number;
  maxConcurrentRuns: number;
  standards: string;
};

export async function getOrgRunSettings(orgId: string): Promise<OrgRunSettings> {
  const row = await withTenant({ orgId }, (tx) => loadRow(tx, orgId));
  return {
    defaultTokenBudget: row?.defaultTokenBudget ?? DEFAULT_TOKEN_BUDGET,
    maxConcurrentRuns: row?.maxConcurrentRuns ?? DEFAULT_MAX_CONCURRENT_RUNS,
    standards: row?.standards ?? "",
  };
}

/**
 * Whether the organization lets a run's install step (the project's install command, e.g.
 * `npm ci`) reach the network before the offline checks. Off unless an admin turned it on; read
 * by the run function (system scope, one organization).
 */
export async function installWithNetwork(orgId: string): Promise<boolean> {
  const row = await withTenant({ orgId }, (tx) => loadRow(tx, orgId));
  return row?.installWithNetwork ?? false;
}

/**
 * The provider the organization's model calls use: its own (`own`), else the instance's. Inside a
 * transaction pass it (`tx`): a second one would wait forever for PGlite's single connection.
 */
export async function effectiveConfig(
  orgId: string,
  tx?: Tx,
): Promise<{ config: ProviderConfig; own: boolean }> {
  const row = tx ? await loadRow(tx, orgId) : await withTenant({ orgId }, (t) => loadRow(t, orgId));
  const own = orgProviderConfig(row);
  return own ? { config: own, own: true } : { config: instanceConfig(), own: false };
}

/**
 * The model for one of a run's calls: the organization's provider (key decrypted here, in the
 * server process only), else the instance's from the environment, else the scripted demo model.
 * An agent may pin a model id; otherwise the tier picks one.
 */
export async function resolveRunModel(
  orgId: string,
  tier: ModelTier,
  agent?: { modelId?: string },
  resilience?: ResilienceOptions,
): Promise<ResolvedModel> {
  const { config, own } = await effectiveConfig(orgId);
  const e = aiEnv();
  const configured: ResilienceOptions = {
    maxRetries: e.AI_MAX_RETRIES,
    firstTokenTimeoutMs: e.AI_FIRST_TOKEN_TIMEOUT_MS,
    requestTimeoutMs: e.AI_REQUEST_TIMEOUT_MS,
  };
  const defined = Object.fromEntries(Object.entries(configured).filter(([, v]) => v !== undefined));
  return resolveModel(config, tier, {
    modelId: agent?.modelId,
    // The organization's base URL (or a redirect from it) must not reach internal addresses.
    fetch: own ? orgModelFetch : undefined,
    resilience: { ...defined, ...resilience },
  });
}

/** How a run started now is labelled (runs.usesDemoModel / runs.modelLabel). */
export async function describeRunModel(orgId: string): Promise<RunModelDescription> {
  return describeConfig((await effectiveConfig(orgId)).config);
}
