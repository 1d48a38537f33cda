"use client";

// Light and dark: the system's preference (prefers-color-scheme) unless the user chose with the
// toggle, whose choice is kept in localStorage. Either way the theme in force is data-theme on
// <html>, set before the first paint and kept as the system changes (THEME_SCRIPT, inlined in
// the layout's <head>), so the page never flashes light.
// Colours live in CSS variables (app/globals.css); canvases cannot use var() and read them with
// cssColor(), redrawing when useTheme() changes.

import { useEffect, useState } from "react";
import { THEME_KEY } from "./theme-script";

export type Theme = "light" | "dark";

/** The theme in force: data-theme (the user's choice, else the system's, as the theme script
 *  set it); the system's if the script did not run. */
export function currentTheme(): Theme {
  const t = document.documentElement.dataset.theme;
  if (t === "dark" || t === "light") return t;
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/** A colour from the theme's CSS variables (`--panel`, `--accent`…), for canvas drawing. */
export function cssColor(name: string, fallback = "#888"): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** The theme in force, re-rendering when the toggle or the system changes it (a canvas that
 *  lists it among its effect's dependencies redraws in the new colours). */
export function useTheme(): Theme {
  const [theme, setTheme] = useState<Theme>("light");
  useEffect(() => {
    const update = () => setTheme(currentTheme());
    update();
    // The toggle and the theme script (following the system) both change data-theme.
    const observer = new MutationObserver(update);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    return () => observer.disconnect();
  }, []);
  return theme;
}

export function setTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try {
    window.localStorage.setItem(THEME_KEY, theme);
  } catch {
    // Private windows may refuse storage: the choice then lasts for this page only.
  }
}

export function ThemeToggle() {
  const theme = useTheme();
  const other: Theme = theme === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      className="theme-toggle"
      onClick={() => setTheme(other)}
      title={`switch to the ${other} theme (kept in this browser)`}
      aria-label={`switch to the ${other} theme`}
      data-testid="theme-toggle"
    >
      {theme === "dark" ? "☀ light" : "☾ dark"}
    </button>
  );
}
