/**
 * Next.js start-up hook (runs once per server process, `next dev` and `next start`): starts the embedded IPFS node,
 * so the server's files are served to other IPFS nodes over bitswap from the moment it is up, and reads that miss
 * locally can ask peers (docs/ipfs.md), and the claim checker, which disputes every wrong claim of the factory's
 * claim-mode competitions in its window: on the local chain by default, elsewhere with MODELBOUNTY_CHECKER=on and a key
 * (docs/protocol.md §11, "The checker").
 */
export async function register(): Promise<void> {
  // Only the Node.js server runs libp2p and the checker; the edge runtime (and client bundles) never load them.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // `next build` loads this file too (while it prerenders): a build is not a server and starts neither.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  // The checker does not wait for IPFS, and its failures are its own: startServerChecker logs them and never throws.
  const { startServerChecker } = await import("./lib/web/serverChecker");
  startServerChecker();
  const { startEmbeddedIpfsNode } = await import("./lib/ipfs/store");
  await startEmbeddedIpfsNode();
}
