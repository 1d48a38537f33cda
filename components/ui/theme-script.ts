// Kept out of theme.tsx: that module is "use client", and a server component (the layout) that
// imported a string from it would get a client reference instead of the string.

export const THEME_KEY = "casefile.theme";

/** Runs in <head> before the body paints, so a dark choice never flashes light. Plain ES5, no
 *  imports: it is a string. */
export const THEME_SCRIPT = `try{var t=localStorage.getItem(${JSON.stringify(THEME_KEY)});if(t==="dark"||t==="light")document.documentElement.dataset.theme=t}catch(e){}`;
