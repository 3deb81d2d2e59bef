/**
 * Next.js start-up hook (runs once per server process, `next dev` and `next start`): starts the embedded IPFS node,
 * so the server's files are served to other IPFS nodes over bitswap from the moment it is up, and reads that miss
 * locally can ask peers. The node prints its multiaddrs; see docs/ipfs.md for the variables.
 */
export async function register(): Promise<void> {
  // Only the Node.js server runs libp2p; the edge runtime (and client bundles) never load it.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // `next build` loads this file too (while it prerenders): a build is not a server and starts no node.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startEmbeddedIpfsNode } = await import("./lib/ipfs/store");
  await startEmbeddedIpfsNode();
}
