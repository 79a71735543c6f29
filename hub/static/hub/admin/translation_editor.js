// wagtail-localize's translation editor writes two things in English whatever the admin's language: the section
// title "<source> to <target> translation" (a literal in its React code) and the dates of its "Translated manually
// on 6 December 2026" notes (formatted on the server with the C library's English month names). Both are put in the
// reader's language here, as they appear; dates keep the Western digits the rest of the admin uses.
(() => {
  "use strict";
  const TITLE = /^(.+) to (.+) translation$/;
  const DATE = /\b(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})\b/g;
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December"];
  const language = document.documentElement.lang || "en";
  const dateFormat = new Intl.DateTimeFormat(language === "ar" ? "ar-u-nu-latn" : language, {
    day: "numeric", month: "long", year: "numeric",
  });
  const translate = (text) => (window.gettext ? window.gettext(text) : text);

  const fix = (node) => {
    const text = node.nodeValue;
    if (!text || !text.trim()) return;
    let fixed = text;
    const title = text.trim().match(TITLE);
    if (title) {
      fixed = translate("%(source)s to %(target)s translation")
        .replace("%(source)s", title[1]).replace("%(target)s", title[2]);
    }
    // Only the notes (an item of a segment's toolbar), never the text being translated.
    if (node.parentElement && node.parentElement.tagName === "LI") {
      fixed = fixed.replace(DATE, (_, day, month, year) =>
        dateFormat.format(new Date(Number(year), MONTHS.indexOf(month), Number(day))));
    }
    if (fixed !== text) node.nodeValue = fixed;
  };
  const fixAll = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) fix(node);
  };

  const start = () => {
    const editor = document.querySelector(".js-translation-editor");
    if (!editor) return;
    fixAll(editor);
    new MutationObserver((changes) => {
      for (const change of changes) {
        if (change.type === "characterData") fix(change.target);
        for (const node of change.addedNodes) {
          if (node.nodeType === Node.TEXT_NODE) fix(node);
          else if (node instanceof Element) fixAll(node);
        }
      }
    }).observe(editor, { childList: true, subtree: true, characterData: true });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
