// Packet captures in the workbench: the seed stories' recordings uploaded through the page's
// file input, then read as a user would. The MTU-1480 hop: the filter finds the frag-needed
// packets (tshark's frames), the findings list them with MTU 1480 and lead to the packet, whose
// layers show icmp.mtu and whose bytes highlight the field clicked. The VRRP stall: the gaps
// view lists tshark's stall. Needs `npx next build` first.
//   node --import tsx --test e2e/packets.test.ts

import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import type { Page } from "playwright-core";
import { PCAPS_DIR } from "../server/testing/oracle";
import { tsharkFrames, tsharkLines } from "../server/testing/tshark-analysis";
import { useWorkbench } from "./workbench-harness";

const MTU = path.join(PCAPS_DIR, "../recorded/mtu-1480.pcap");
const VRRP = path.join(PCAPS_DIR, "../recorded/vrrp-stall.pcap");

const h = useWorkbench("packets");
let page: Page;
const shot = (name: string) => h.shot(page, `packets-${name}`);

h.before(async () => {
  page = await h.newPage({ viewport: { width: 1500, height: 1000 } });
});

async function uploadAndOpen(file: string): Promise<void> {
  await h.uploadThroughPage(page, file);
  await page.locator("tr", { hasText: path.basename(file) }).getByRole("link", { name: "open" }).click();
  await page.waitForURL(/\/captures\/[0-9a-f]+/);
  await page.getByLabel("packet list").waitFor();
}

test("the MTU-1480 hop: filter, findings, layers and bytes of a frag-needed packet", { timeout: 120_000 }, async () => {
  await uploadAndOpen(MTU);
  const all = tsharkLines(MTU, ["-T", "fields", "-e", "frame.number"]).length;
  await page.getByText(`${all} packets shown`).waitFor();
  await shot("01-list");

  await page.getByLabel("packet filter").fill("icmp.type=3 and icmp.code=4");
  await page.getByRole("button", { name: "apply" }).click();
  const frag = tsharkFrames(MTU, "icmp.type==3 && icmp.code==4");
  await page.getByText(`${frag.length} packets shown`).waitFor();
  const nums = await page.getByLabel("packet list").locator("[data-num]").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-num"))));
  assert.deepEqual(nums, frag);

  await page.getByRole("tab", { name: "findings" }).click();
  const rows = page.locator('table[aria-label="findings"] tbody tr[data-finding="frag-needed"]');
  await rows.first().waitFor();
  assert.equal(await rows.count(), frag.length);
  assert.match(await rows.first().innerText(), /MTU 1480/);
  await shot("02-findings");
  await rows.first().click();
  const layers = page.getByLabel("packet layers");
  await layers.waitFor();
  // Back in the list, the finding's packet selected, each packet listed once.
  await page.getByText(`${frag.length} packets shown`).waitFor();
  assert.deepEqual(await page.getByLabel("packet list").locator("[data-num]").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-num")))), frag);
  assert.equal(await page.getByLabel("packet list").locator('[aria-selected="true"]').getAttribute("data-num"), String(frag[0]));
  const mtuField = layers.locator('[data-field="icmp.mtu"]');
  assert.equal((await mtuField.innerText()).trim(), `icmp.mtu = ${tsharkLines(MTU, ["-Y", `frame.number==${frag[0]}`, "-T", "fields", "-e", "icmp.mtu"])[0]}`);
  await mtuField.click();
  // The MTU's two bytes (1480 = 0x05c8) are the highlighted ones.
  const hl = await page.getByLabel("packet bytes").locator("span[class*=hl]").allInnerTexts();
  assert.deepEqual(hl.slice(0, 2).map((t) => t.trim()), ["05", "c8"]);
  await shot("03-frag-needed-packet");

  await page.getByRole("tab", { name: "conversations" }).click();
  await page.locator('table[aria-label="conversations"] tbody tr').first().waitFor();
  await shot("04-conversations");
  assert.deepEqual(h.pageErrors, []);
});

test("the VRRP stall in the gaps view", { timeout: 120_000 }, async () => {
  await uploadAndOpen(VRRP);
  await page.getByLabel("packet filter").fill("vrrp.vrid=51");
  await page.getByRole("button", { name: "apply" }).click();
  await page.getByRole("tab", { name: "gaps" }).click();
  await page.locator("#gap-min").fill("3s");
  await page.getByRole("button", { name: "find gaps" }).click();
  const deltas = tsharkLines(VRRP, ["-Y", "vrrp", "-T", "fields", "-e", "frame.number", "-e", "frame.time_delta_displayed"])
    .map((l) => l.split("\t")).filter(([, d]) => Number(d) > 3).map(([n]) => Number(n));
  const gap = page.locator('table[aria-label="gaps"] tbody tr');
  await gap.first().waitFor();
  assert.deepEqual(await gap.evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-gap")))), deltas);
  await shot("05-vrrp-gap");
  await gap.first().click();
  await page.getByLabel("packet layers").waitFor();
  assert.deepEqual(h.pageErrors, []);
});
