// Next.js configuration. ESM because package.json says "type": "module".

// Set here as well as in the server, because `next build` (run by npm's prestart) loads this
// file before it decides whether to send telemetry: Casefile must never phone home.
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

/** @type {import('next').NextConfig} */
export default {
  // better-sqlite3 is a native addon; bundling it breaks its .node lookup.
  serverExternalPackages: ["better-sqlite3"],
  // The lint setup is not part of the build yet; type checks still run.
  eslint: { ignoreDuringBuilds: true },
  poweredByHeader: false,
  reactStrictMode: true,
};
