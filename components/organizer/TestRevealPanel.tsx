"use client";

import type { Address } from "viem";
import { GroupRevealPanel } from "./GroupRevealPanel";

/**
 * The organizer's test reveal, for the competition page: secrets from this browser or an uploaded file, checked
 * against the on-chain hashes (mismatching groups are named), then revealed in batches. Enabled only for the
 * connected organizer in the TestReveal stage.
 */
export function TestRevealPanel({ competition }: { competition: Address }) {
  return <GroupRevealPanel competition={competition} training={false} />;
}
