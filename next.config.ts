import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // Hardhat's ts-node reads tsconfig.json; Next reads it too. Keep the build free of remote assets.
  images: { unoptimized: true },
};

export default nextConfig;
