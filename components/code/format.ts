/** `1.2 KB`: sizes of files in a tree. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return "";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** The agent's name from a commit author "Coder (DafnckMachine)". */
export function authorLabel(name: string): { name: string; isAgent: boolean } {
  const m = /^(.*) \(DafnckMachine\)$/.exec(name);
  return m?.[1] ? { name: m[1], isAgent: true } : { name, isAgent: false };
}
