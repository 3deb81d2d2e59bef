import { Marketplace } from "@/components/marketplace/Marketplace";

export default function HomePage() {
  return <Marketplace />;
}
