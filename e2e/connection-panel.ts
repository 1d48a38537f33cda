// The correlation panel of a packet capture's page (correlate and live-packets): the one
// conversation on a port selected in the conversations view, and the connection's syscalls it lists.

import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";

/** Selects the only conversation on `port`; resolves once the panel lists the connection's
 *  syscalls, with the panel and those rows. */
export async function selectConnection(page: Page, port: number): Promise<{ panel: Locator; syscalls: Locator }> {
  const panel = page.getByLabel("correlation");
  await page.getByRole("tab", { name: "conversations" }).click();
  const conv = page.locator('table[aria-label="conversations"] tbody tr', { hasText: `:${port}` });
  await conv.first().waitFor();
  assert.equal(await conv.count(), 1);
  await conv.click();
  const syscalls = panel.getByLabel("connection syscalls").locator("li");
  await syscalls.first().waitFor();
  return { panel, syscalls };
}
