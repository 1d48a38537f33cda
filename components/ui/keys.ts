// Page-wide keyboard shortcuts must leave typing alone.

import type { KeyboardEvent as ReactKeyboardEvent } from "react";

/** True when a key went to something the user types into. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** True for a key pressed with a modifier that belongs to the browser or the system. */
export function hasModifier(e: KeyboardEvent | ReactKeyboardEvent): boolean {
  return e.ctrlKey || e.metaKey || e.altKey;
}
