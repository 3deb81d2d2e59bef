"use client";

import { useState } from "react";
import type { Address } from "viem";
import { sameAddress } from "@/lib/web/format";

/**
 * The organizer's reveal panel stays on the page for the rest of this visit once it was shown to this account, so
 * the reveal's outcome ("All test data is revealed") is still there when the stage moves on. Another account (or
 * none) gets nothing: the reveal inputs are only ever for the organizer's connected address.
 */
export function useRevealShown(kind: "training" | "test" | undefined, account: Address | undefined): "training" | "test" | undefined {
  const [kept, setKept] = useState<{ kind: "training" | "test"; account: Address }>();
  // Adjusting state to a prop during render (React's documented pattern), not in an effect: no frame without it.
  if (kind && account && (kept?.kind !== kind || !sameAddress(kept.account, account))) setKept({ kind, account });
  if (kind) return kind;
  return kept && account && sameAddress(kept.account, account) ? kept.kind : undefined;
}
