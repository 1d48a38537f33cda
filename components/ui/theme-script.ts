// Kept out of theme.tsx: that module is "use client", and a server component (the layout) that
// imported a string from it would get a client reference instead of the string.

export const THEME_KEY = "casefile.theme";

/** Runs in <head> before the body paints: sets data-theme on <html> to the theme in force, the
 *  user's choice (localStorage) or else the system's, and keeps it the system's as that
 *  changes while no choice is made. The CSS then has one dark block (app/globals.css), and a
 *  dark page never flashes light. Plain ES5, no imports: it is a string. */
export const THEME_SCRIPT = `(function(){var d=document.documentElement,m=window.matchMedia("(prefers-color-scheme: dark)");`
  + `function c(){try{var t=localStorage.getItem(${JSON.stringify(THEME_KEY)});return t==="dark"||t==="light"?t:null}catch(e){return null}}`
  + `d.dataset.theme=c()||(m.matches?"dark":"light");`
  + `m.addEventListener("change",function(){if(!c())d.dataset.theme=m.matches?"dark":"light"})})()`;
