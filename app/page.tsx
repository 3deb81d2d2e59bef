import { Marketplace } from "@/components/marketplace/Marketplace";
import { readAppConfig } from "@/lib/config/server";
import { readMarketplaceSnapshot } from "@/lib/web/listingSnapshot";

/** The marketplace, with the server's snapshot of the listing in the HTML (the browser then follows the chain). */
export default async function HomePage() {
  const snapshot = await readMarketplaceSnapshot(readAppConfig());
  return <Marketplace initial={snapshot} />;
}
