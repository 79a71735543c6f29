// Text direction of the admin's inputs. Addresses, e-mail, telephone numbers and slugs always read left to right
// (an Arabic admin otherwise shows "/https://…"). Free text follows its own content: the direction of its first
// strong letter, so an Arabic line typed in the English admin keeps its final full stop where it belongs; an empty
// field keeps the page's direction (with its placeholder where a reader expects it), which `dir="auto"` would turn
// left to right. Inputs added later (StreamField blocks, modals) are handled as they appear; an input that states
// its direction in the page keeps it.
(() => {
  "use strict";
  const LEFT_TO_RIGHT = "input[type=url], input[type=email], input[type=tel], input[name$=slug], [data-tawasul-code]";
  const FOLLOWS_CONTENT = "input[type=text], input[type=search], input:not([type]), textarea";
  const TRANSLATION_SOURCE = ".js-translation-editor p, .js-translation-editor li";
  const RIGHT_TO_LEFT_LETTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
  const STRONG_LETTER = /[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;

  const directionOf = (text) => {
    const first = (text || "").match(STRONG_LETTER);
    if (!first) return null;
    return RIGHT_TO_LEFT_LETTER.test(first[0]) ? "rtl" : "ltr";
  };
  const follow = (el) => {
    const direction = directionOf(el.value !== undefined ? el.value : el.textContent);
    if (direction) el.setAttribute("dir", direction);
    else el.removeAttribute("dir");
  };

  const direct = (root) => {
    if (!(root instanceof Element)) return;
    for (const el of root.querySelectorAll(LEFT_TO_RIGHT)) {
      if (!el.hasAttribute("dir")) el.setAttribute("dir", "ltr");
    }
    for (const el of root.querySelectorAll(`${FOLLOWS_CONTENT}, ${TRANSLATION_SOURCE}`)) {
      if (el.matches(LEFT_TO_RIGHT) || el.dataset.tawasulDirection) continue;
      if (el.hasAttribute("dir")) continue;
      el.dataset.tawasulDirection = "content";
      follow(el);
    }
  };

  const start = () => {
    direct(document.body);
    document.addEventListener("input", (event) => {
      const el = event.target;
      if (el instanceof Element && el.dataset.tawasulDirection === "content") follow(el);
    });
    new MutationObserver((changes) => {
      for (const change of changes) {
        for (const node of change.addedNodes) {
          if (node instanceof Element) direct(node.parentElement || node);
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
