// The events table's blocks in Chromium, as a component (row-blocks-page.tsx bundled with esbuild:
// no server, no build): after each update a block shows the rows it was given. The case that
// matters is another answer that begins with the same event and has as many rows: a memo
// comparing only those (the reverted @tanstack attempt's, 4a190c9) keeps the old rows on screen.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import type { EventRow } from "../server/api/store-types";
import { EVENT_COLUMNS, cellText } from "../components/events-table/columns";
import { launchChromium } from "./browser";

/** n events from evt.num `from`, their info saying which answer they belong to. */
const events = (from: number, n: number, answer: string): EventRow[] =>
  Array.from({ length: n }, (_, i) => ({ num: from + i, ts: String(1534527348514632619n + BigInt(1000 * (from + i))), cpu: i % 4, proc: "curl", tid: 17497, dir: i % 2 ? "<" : ">", type: "read", info: `${answer} fd=${i}` }));

type Shown = Window & { showEvents(data: EventRow[]): void; given: EventRow[] };

let browser: Browser;
let page: Page;

before(async () => {
  const bundle = await build({
    entryPoints: [path.join(import.meta.dirname, "row-blocks-page.tsx")],
    bundle: true,
    write: false,
    format: "iife",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "error",
  });
  browser = await launchChromium();
  page = await browser.newPage();
  await page.setContent('<div id="root"></div>');
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
});

after(() => browser?.close());

/** Shows `rows` after none, the first or all of the events shown before (their very objects:
 *  another answer beginning with the same event, a page appended). */
const show = (rows: EventRow[], keep: "none" | "first" | "all" = "none") =>
  page.evaluate(
    ([rows, keep]) => {
      const w = window as unknown as Shown;
      w.given = (keep === "all" ? w.given : keep === "first" ? w.given.slice(0, 1) : []).concat(rows);
      w.showEvents(w.given);
    },
    [rows, keep] as const,
  );
/** Each row's cells' text (textContent: a block off screen is not laid out, innerText skips it). */
const shownText = () => page.evaluate(() => [...document.querySelectorAll("tbody tr")].map((tr) => [...(tr as HTMLTableRowElement).cells].map((td) => td.textContent)));
const expected = (rows: EventRow[]) => rows.map((r) => EVENT_COLUMNS.map((c) => cellText(c, r)));

test("a block shows each answer's rows, even one with the same first event and as many rows", { timeout: 60_000 }, async () => {
  const first = events(1, 100, "first");
  await show(first);
  assert.deepEqual(await shownText(), expected(first));

  // Another answer: the very same first event object, as many rows, other rows after it.
  const others = events(501, 99, "second");
  await show(others, "first");
  assert.deepEqual(await shownText(), expected([first[0], ...others]), "the second answer's rows, not the first's");

  // Another answer again, with new objects: the same first evt.num and length, other text.
  const third = events(1, 100, "third");
  await show(third);
  assert.deepEqual(await shownText(), expected(third));

  // A page appended: the rows given before stay, the new ones follow.
  const page2 = events(101, 50, "third");
  await show(page2, "all");
  assert.deepEqual(await shownText(), expected(third.concat(page2)));
});
