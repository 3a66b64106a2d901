import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";
import { newPasswordSchema, passwordProblems } from "./password-rules";

describe("password rules", () => {
  it("accepts a long password mixing kinds of characters", () => {
    expect(passwordProblems("correct horse battery 9")).toEqual([]);
    expect(passwordProblems("Tr0ub4dor&3x")).toEqual([]);
    expect(newPasswordSchema.safeParse("Zebra-Lantern-42").success).toBe(true);
  });

  it("refuses short passwords", () => {
    expect(passwordProblems("Ab1!xyz")).toContain("Use at least 10 characters.");
  });

  it("refuses passwords made of one kind of character", () => {
    expect(passwordProblems("abcdefghijkm").join(" ")).toMatch(/two kinds/);
    expect(passwordProblems("4729104829").join(" ")).toMatch(/two kinds/);
  });

  it("refuses common passwords, keyboard patterns and the email's name", () => {
    for (const weak of ["password123456", "Password123!", "qwerty123456", "1234567890a", "aaaaaaaaaa1"]) {
      expect(passwordProblems(weak).join(" "), weak).toMatch(/too easy to guess/);
    }
    expect(passwordProblems("Jonathan2024!", { email: "jonathan@example.com" }).join(" ")).toMatch(
      /too easy to guess/,
    );
  });

  it("reports each problem as a field message through the schema", () => {
    const result = newPasswordSchema.safeParse("short");
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(
      expect.arrayContaining(["Use at least 10 characters."]),
    );
  });
});

describe("password hashing", () => {
  it("hashes with argon2id and verifies only the right password", async () => {
    const hash = await hashPassword("Zebra-Lantern-42");
    expect(hash.startsWith("$argon2id$")).toBe(true);
    expect(hash).not.toContain("Zebra");
    expect(await verifyPassword(hash, "Zebra-Lantern-42")).toBe(true);
    expect(await verifyPassword(hash, "zebra-lantern-42")).toBe(false);
    expect(await verifyPassword("not-a-hash", "Zebra-Lantern-42")).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("Zebra-Lantern-42")).not.toBe(await hashPassword("Zebra-Lantern-42"));
  });
});
