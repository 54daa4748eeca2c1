import type { NextConfig } from "next";

// A static export: the Rust server and the Tauri shell serve `out/` as plain files.
// Ids travel in query strings (`/orders/view/?id=…`), so no dynamic segment is needed.
const nextConfig: NextConfig = {
  output: "export",
  images: { unoptimized: true },
  trailingSlash: true,
  reactStrictMode: true,
  poweredByHeader: false,
  experimental: {
    // Tree-shake Chakra's barrel so each route ships only the components it uses.
    optimizePackageImports: ["@chakra-ui/react"],
  },
};

export default nextConfig;
