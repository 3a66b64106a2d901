import { mkdirSync } from "node:fs";

export default async function globalSetup() {
  mkdirSync(".data/e2e", { recursive: true });
}
