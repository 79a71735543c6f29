// What a reader sees on an admin screen, for tests/browser/test_admin_languages.py: the visible text (text nodes,
// placeholders, button values) with the text of code and addresses left out, and what overflows horizontally.
// `strictTables`: a table must fit its container (at 1280 px); otherwise a table may scroll inside a container made
// to scroll, but nothing may widen the page or be cut off.
(strictTables) => {
  const visible = (el) => {
    if (!el || el.closest("[hidden], [aria-hidden=true], template, script, style, noscript, .w-sr-only")) return false;
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\s+/g, " ").trim();
    const el = node.parentElement;
    if (!text || !visible(el) || el.closest("code, pre, kbd, samp")) continue;
    texts.push(text);
  }
  for (const el of document.querySelectorAll("input[placeholder], textarea[placeholder], input[type=submit][value]")) {
    if (visible(el)) texts.push((el.placeholder || el.value).trim());
  }
  const overflow = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth + 1) overflow.push(`page ${root.scrollWidth}px > ${window.innerWidth}px`);
  for (const table of document.querySelectorAll("table")) {
    if (!visible(table)) continue;
    const container = table.parentElement;
    const scrolls = ["auto", "scroll"].includes(getComputedStyle(container).overflowX);
    if (table.scrollWidth > container.clientWidth + 1 && (strictTables || !scrolls)) {
      overflow.push(`table.${table.className} ${table.scrollWidth}px > ${container.clientWidth}px`);
    }
  }
  for (const th of document.querySelectorAll("th")) {
    if (visible(th) && th.scrollWidth > th.clientWidth + 1 && getComputedStyle(th).overflowX !== "visible") {
      overflow.push(`heading cut off: ${th.textContent.trim()}`);
    }
  }
  // Report tables: a word split over two lines ("Governm/ent") is a word broken inside.
  for (const cell of document.querySelectorAll("table.tawasul-report td")) {
    if (!visible(cell)) continue;
    const cells = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = cells.nextNode(); node; node = cells.nextNode()) {
      for (const match of node.textContent.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) overflow.push(`word broken inside: ${match[0]}`);
      }
    }
  }
  return { texts, overflow };
};
