import NextAuth from "next-auth";
import { buildAuthConfig } from "./config";

/** Auth.js v5, configured per request (see buildAuthConfig). */
export const { auth, handlers, signIn, signOut } = NextAuth((req) => buildAuthConfig(req));
