"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { ThemeProvider } from "next-themes";
import type * as React from "react";
import { useState } from "react";
import { Toaster } from "@/components/ui/sonner";

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // Server components already render fresh data; avoid an immediate refetch on hydration.
      queries: { staleTime: 30_000, refetchOnWindowFocus: false },
    },
  });
}

/** `nonce`: this request's CSP nonce (proxy.ts), for the theme script next-themes inlines. */
export function Providers({ children, nonce }: { children: React.ReactNode; nonce?: string }) {
  // One client per browser session; useState keeps it stable across re-renders.
  const [queryClient] = useState(makeQueryClient);
  return (
    <ThemeProvider
      nonce={nonce}
      attribute="class"
      defaultTheme="system"
      enableSystem
      disableTransitionOnChange
    >
      <QueryClientProvider client={queryClient}>
        {children}
        <Toaster richColors closeButton />
      </QueryClientProvider>
    </ThemeProvider>
  );
}
