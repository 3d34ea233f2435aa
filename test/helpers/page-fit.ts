import type { Page } from 'playwright-core';

// The checks run in the page; they are written as source text because the project's TypeScript has no
// DOM types (the browser compiles them, not tsc).

const OVERFLOW = `(() => {
  const width = window.innerWidth;
  const clipped = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
    }
    return false;
  };
  const out = Array.from(document.body.querySelectorAll('*')).filter(
    (el) => el.getBoundingClientRect().right > width + 0.5 && !clipped(el),
  );
  // The innermost ones: those that contain no other element that sticks out.
  const culprits = out
    .filter((el) => !out.some((other) => other !== el && el.contains(other)))
    .map((el) => {
      const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      return el.tagName.toLowerCase() + cls + ' (right ' + Math.round(el.getBoundingClientRect().right) + 'px)';
    });
  return { overflow: document.documentElement.scrollWidth - width, culprits: culprits.slice(0, 5) };
})()`;

const BROKEN_WORDS = `(() => {
  const broken = [];
  for (const cell of document.querySelectorAll('td code, td time, td.num, td .badge, th')) {
    if (cell.closest('.wrap')) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.sr-only, [hidden]')) continue;
      for (const word of (node.textContent || '').matchAll(/\\S{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(word[0]);
      }
    }
  }
  return broken.slice(0, 5);
})()`;

const OUTSIDE_THEIR_BOX = `(() => {
  const out = [];
  for (const el of document.querySelectorAll('main input, main select, main textarea, main button')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || el.type === 'hidden') continue;
    const box = el.closest('fieldset') || el.closest('form');
    if (!box) continue;
    const b = box.getBoundingClientRect();
    if (r.left < b.left - 0.5 || r.right > b.right + 0.5)
      out.push((el.getAttribute('name') || el.textContent.trim() || el.tagName) + ' (' + Math.round(r.right - b.right) + 'px)');
  }
  return out.slice(0, 8);
})()`;

/** How far the page scrolls sideways, and the innermost elements that stick out (for a failure message). */
export function overflowOf(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate(OVERFLOW);
}

/** Identifiers in tables (code, times, amounts, badges, headers) broken across lines; `.wrap` cells may break. */
export function brokenWords(page: Page): Promise<string[]> {
  return page.evaluate(BROKEN_WORDS);
}

/** Visible controls of the page's main part that stick out of the fieldset (or form) around them. */
export function controlsOutsideTheirBox(page: Page): Promise<string[]> {
  return page.evaluate(OUTSIDE_THEIR_BOX);
}
