import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getAddress, isAddress } from "viem";
import { CompetitionView } from "@/components/competition/CompetitionView";
import { readAppConfig } from "@/lib/config/server";
import { readInitialCompetitionMetadata } from "@/lib/web/competitionHead";

export async function generateMetadata({ params }: { params: Promise<{ address: string }> }): Promise<Metadata> {
  const { address } = await params;
  return { title: isAddress(address, { strict: false }) ? `Competition ${address.slice(0, 8)}…` : "Competition" };
}

export default async function CompetitionPage({ params }: { params: Promise<{ address: string }> }) {
  const { address } = await params;
  if (!isAddress(address, { strict: false })) notFound();
  const competition = getAddress(address);
  // The title and description in the first HTML (the browser reads the rest of the chain itself).
  const initialMetadata = await readInitialCompetitionMetadata(readAppConfig(), competition);
  return <CompetitionView address={competition} initialMetadata={initialMetadata} />;
}
