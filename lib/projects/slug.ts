import { PROJECT_LIMITS, RESERVED_PROJECT_SLUGS } from "./schemas";

/** "Café Roadmap 2!" → "cafe-roadmap-2". May return "" for names with no Latin letters or digits. */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, PROJECT_LIMITS.slugMax)
    .replace(/-+$/, "");
}

/** A valid slug for a name: what the form pre-fills and what the API uses when none is given. */
export function suggestSlug(name: string): string {
  const s = slugify(name) || "project";
  return RESERVED_PROJECT_SLUGS.has(s) ? `${s}-project` : s;
}

/** `base`, or `base-2`, `base-3`... the first one not in `taken`, kept within the length limit. */
export function firstFreeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const suffix = `-${i}`;
    const candidate = `${base.slice(0, PROJECT_LIMITS.slugMax - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
