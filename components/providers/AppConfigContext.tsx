"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { AppConfig } from "@/lib/config";

const AppConfigContext = createContext<AppConfig | null>(null);

export function AppConfigProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  return <AppConfigContext.Provider value={config}>{children}</AppConfigContext.Provider>;
}

/** The runtime configuration the server read from the environment for this request. */
export function useAppConfig(): AppConfig {
  const config = useContext(AppConfigContext);
  if (!config) throw new Error("useAppConfig must be used inside <Providers>");
  return config;
}
