// The keyboard (`?` list, `/` filter, `g` go to evt.num, `j`/`k` rows, `i` notes, Esc) and the
// light and dark themes (the system's choice, the toggle, kept across a reload), in Chromium.
// Screenshots of both themes go to e2e/artifacts/. Needs `npx next build` first.
//
//   node --import tsx --test e2e/keys-theme.test.ts

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { fixtureCapture, sysdigLines } from "../server/testing/oracle";
import { useWorkbench } from "./workbench-harness";

const CURL = fixtureCapture("curl_google.scap");
const h = useWorkbench("keys");
let captureId: string;

h.before(async () => {
  captureId = await h.upload(CURL, "curl_google.scap");
});

test("keys: ? lists them, / filters, g goes to an evt.num, j/k step through sysdig's order, Esc closes", { timeout: 120_000 }, async () => {
  const nums = sysdigLines(CURL).map((l) => Number(l.split(" ")[0]));
  // An event well inside the capture, and its neighbours as sysdig prints them.
  const i = Math.floor(nums.length / 2);
  // (g starts the table at the event, as the "go to evt.num" form does: the rows after it.)
  const [target, after, after2] = [nums[i], nums[i + 1], nums[i + 2]];
  const page = await h.newPage({ colorScheme: "light" });
  await page.goto(`${h.origin}/captures/${captureId}?token=${h.token}`);
  await page.getByTestId("events-table").locator("tbody tr").first().waitFor();

  await page.keyboard.press("?");
  const help = page.getByTestId("keys-help");
  await help.waitFor();
  for (const k of ["/", "g", "j", "k", "Esc", "i", "?"]) assert.ok((await help.locator("kbd", { hasText: k }).count()) > 0, `the list names ${k}`);
  await h.shot(page, "keys-01-help", false);
  await page.keyboard.press("Escape");
  await help.waitFor({ state: "detached" });

  await page.keyboard.press("/");
  assert.equal(await page.getByTestId("filter-input").evaluate((el) => el === document.activeElement), true, "/ puts the cursor in the filter");
  // Keys typed there are text, not commands.
  await page.keyboard.type("gj?");
  assert.equal(await page.getByTestId("filter-input").inputValue(), "gj?");
  assert.equal(await page.getByTestId("keys-help").count(), 0);
  await page.keyboard.press("Escape");
  assert.equal(await page.getByTestId("filter-input").evaluate((el) => el === document.activeElement), false, "Esc leaves the filter");

  await page.keyboard.press("g");
  const go = page.getByTestId("goto-input");
  await go.waitFor();
  assert.equal(await go.evaluate((el) => el === document.activeElement), true, "the prompt has the cursor");
  await go.fill(String(target));
  await page.keyboard.press("Enter");
  await selectedIs(page, target);
  assert.equal(new URL(page.url()).searchParams.get("at"), String(target));
  await page.getByTestId("state-at").getByText(String(target)).waitFor();

  await page.keyboard.press("j");
  await selectedIs(page, after);
  await page.keyboard.press("j");
  await selectedIs(page, after2);
  await page.keyboard.press("k");
  await selectedIs(page, after);

  // A bad number is refused in the prompt, which stays; Esc closes it and keeps the selection.
  await page.keyboard.press("g");
  await go.fill("x1");
  await page.keyboard.press("Enter");
  await page.getByText("an evt.num is a whole number from 1").waitFor();
  await page.keyboard.press("Escape");
  await go.waitFor({ state: "detached" });
  await selectedIs(page, after);

  await page.keyboard.press("i");
  await page.getByTestId("investigation-panel").waitFor();
  await page.keyboard.press("i");
  await page.getByTestId("investigation-panel").waitFor({ state: "detached" });

  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !new URL(location.href).searchParams.has("at"));
  assert.equal(await page.locator('tr[aria-selected="true"]').count(), 0);
  assert.deepEqual(h.pageErrors, []);
  await page.context().close();
});

test("themes: light by default, dark from the system or the toggle, kept across a reload", { timeout: 120_000 }, async () => {
  const url = `${h.origin}/captures/${captureId}?token=${h.token}&at=${sysdigLines(CURL)[20].split(" ")[0]}`;
  const page = await h.newPage({ colorScheme: "light" });
  await page.goto(url);
  await page.getByTestId("state-panel").waitFor();
  await page.getByTestId("events-table").locator("tbody tr").first().waitFor();
  const lightBg = await bodyBackground(page);
  assert.ok(luminance(lightBg) > 0.8, `light background ${lightBg}`);
  await h.shot(page, "theme-01-light", false);

  await page.getByTestId("theme-toggle").click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  const darkBg = await bodyBackground(page);
  assert.ok(luminance(darkBg) < 0.15, `dark background ${darkBg}`);
  // Every panel follows: the table and the state panel are dark too, their text light.
  for (const id of ["events-table", "state-panel"]) {
    const [bg, fg] = await page.getByTestId(id).evaluate((el) => {
      let e: Element | null = el;
      let bg = "rgba(0, 0, 0, 0)";
      while (e && bg === "rgba(0, 0, 0, 0)") {
        bg = getComputedStyle(e).backgroundColor;
        e = e.parentElement;
      }
      return [bg, getComputedStyle(el).color];
    });
    assert.ok(luminance(bg) < 0.2, `${id} background ${bg}`);
    assert.ok(luminance(fg) > 0.6, `${id} text ${fg}`);
  }
  await h.shot(page, "theme-02-dark", false);
  await page.reload();
  await page.getByTestId("events-table").locator("tbody tr").first().waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark", "the choice is kept");
  assert.ok(luminance(await bodyBackground(page)) < 0.15);
  await page.getByTestId("theme-toggle").click();
  assert.ok(luminance(await bodyBackground(page)) > 0.8, "and switched back");
  await page.context().close();

  // No choice made, a system that prefers dark: dark.
  const p2 = await h.newPage({ colorScheme: "dark" });
  await p2.goto(url);
  await p2.getByTestId("events-table").locator("tbody tr").first().waitFor();
  assert.ok(luminance(await bodyBackground(p2)) < 0.15, "prefers-color-scheme: dark");
  await p2.keyboard.press("i");
  await p2.getByTestId("investigation-panel").waitFor();
  await h.shot(p2, "theme-03-system-dark-panel", false);
  await p2.context().close();
});

async function selectedIs(page: Page, num: number): Promise<void> {
  await page.locator(`tr[aria-selected="true"][data-num="${num}"]`).waitFor({ timeout: 40_000 });
}

async function bodyBackground(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

/** Relative luminance (0 black … 1 white) of a computed `rgb(r, g, b)` colour. */
function luminance(rgb: string): number {
  const m = /rgba?\((\d+), (\d+), (\d+)/.exec(rgb);
  assert.ok(m, `not a colour: ${rgb}`);
  const [r, g, b] = [m[1], m[2], m[3]].map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
