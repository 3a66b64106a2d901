import { slugify } from "@/lib/projects/slug";

/** `dm/<number>-<slug of the goal>`: readable in any git client, always a valid ref name. */
export function runBranchName(number: number, goal: string): string {
  const slug = slugify(goal).slice(0, 40).replace(/-+$/, "") || "run";
  return `dm/${number}-${slug}`;
}
