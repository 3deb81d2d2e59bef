"use client";

import type { Address } from "viem";
import { GroupRevealPanel } from "./GroupRevealPanel";

/**
 * The organizer's training reveal, for the competition page, so a reveal interrupted in the wizard can be finished
 * there (same checks as {@link TestRevealPanel}; enabled only for the organizer in the TrainingReveal stage).
 */
export function TrainingRevealPanel({ competition, onComplete, embedded }: { competition: Address; onComplete?: () => void; embedded?: boolean }) {
  return <GroupRevealPanel competition={competition} training onComplete={onComplete} embedded={embedded} />;
}
