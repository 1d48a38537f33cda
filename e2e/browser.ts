// What every end-to-end test (and bench/ui) needs before its first page: the production build,
// the artifacts folder for its screenshots, and Debian's chromium started the way this machine
// allows (headless, no sandbox as root, and no background networking: its connections are
// refused here, many at a time).

import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { projectRoot } from "../server/http/serve";

/** Where the tests keep their screenshots. */
export const ARTIFACTS = path.join(projectRoot, "e2e", "artifacts");

/** Fails with the command to run when there is no production build; makes ARTIFACTS. */
export function requireBuild(): void {
  if (!existsSync(path.join(projectRoot, ".next", "BUILD_ID"))) {
    throw new Error(`no production build in ${projectRoot}/.next: run \`NEXT_TELEMETRY_DISABLED=1 npx next build\` first`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
