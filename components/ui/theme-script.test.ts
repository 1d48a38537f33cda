// The theme script (run in <head> before the first paint) sets data-theme to the theme in force
// whatever the user did: their choice, else the system's, following the system while no choice
// is made. app/globals.css has one dark block, on data-theme="dark", and relies on it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { THEME_KEY, THEME_SCRIPT } from "./theme-script";

/** Runs the script against a stand-in document, media query and storage. */
function run(stored: string | null, systemDark: boolean, storage = true) {
  let onChange: () => void = () => {};
  const media = { matches: systemDark, addEventListener: (_: string, f: () => void) => { onChange = f; } };
  const root = { dataset: {} as Record<string, string> };
  const items = new Map<string, string>(stored === null ? [] : [[THEME_KEY, stored]]);
  const localStorage = {
    getItem: (k: string) => {
      if (!storage) throw new Error("SecurityError: storage is disabled");
      return items.get(k) ?? null;
    },
  };
  new Function("document", "window", "localStorage", THEME_SCRIPT)({ documentElement: root }, { matchMedia: () => media }, localStorage);
  return {
    theme: () => root.dataset.theme,
    systemBecomes(dark: boolean) {
      media.matches = dark;
      onChange();
    },
    choose(t: string) {
      items.set(THEME_KEY, t);
    },
  };
}

test("data-theme is the system's theme until the user chooses, then the choice", () => {
  const a = run(null, true);
  assert.equal(a.theme(), "dark");
  a.systemBecomes(false);
  assert.equal(a.theme(), "light");
  a.choose("light");
  a.systemBecomes(true);
  assert.equal(a.theme(), "light", "a choice is not overridden by the system");
  assert.equal(run(null, false).theme(), "light");
  assert.equal(run("dark", false).theme(), "dark");
  assert.equal(run("light", true).theme(), "light");
  // A value the toggle never writes, or storage refused (private windows): the system's.
  assert.equal(run("blue", true).theme(), "dark");
  assert.equal(run(null, true, false).theme(), "dark");
});
