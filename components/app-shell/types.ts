export type ShellOrg = { name: string; slug: string };
export type ShellOrgMembership = { name: string; slug: string; role: string };
export type ShellUser = { name: string | null; email: string };
